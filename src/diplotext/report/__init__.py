"""Chapter helpers: the tables, figures and prose snippets of the book's chapters, one module per chapter."""
