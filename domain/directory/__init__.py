"""The company's directory as the API reads it: the company, its projects, departments, staff,
logins and their role assignments."""
