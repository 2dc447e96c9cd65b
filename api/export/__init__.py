"""Downloads of the company's data as workbooks: the archive's template and lists, a resident's personal data."""
