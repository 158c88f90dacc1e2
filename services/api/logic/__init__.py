"""The rules of the domain; storage goes through docuflow.dal."""
