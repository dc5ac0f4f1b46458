"""The shared core every stage builds on: the workspace (its engine, migrations, transactions,
audit and reads), the schema, the rules, codes and their labels, problem codes, ID numbers,
reading files and normalising cells, the field registry and import machinery, safe Excel
export, the charts' look, and the widget pieces every stage uses. The core imports no stage."""
