"""Server-rendered pages, one module per audience."""
