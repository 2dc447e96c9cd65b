"""The Starlette app, the GraphQL schema, authentication of requests, dataloaders and the CLI."""
