"""Reading Textract output into normalized invoice fields, checking them and routing."""
