"""Live GraphQL subscriptions: the LISTEN feed and the websocket connection."""
