"""The websocket's limits, apart from the handler so that processes configuring uvicorn need not
import the GraphQL machinery to read them."""

MAX_SUBSCRIPTIONS = 20  # active operations per connection
MAX_MESSAGE = 65_536  # characters of one client message: a 2,000-token document and its variables fit
# A frame may carry at most this much: the handler's limit is on characters, this one stops
# uvicorn buffering megabytes before that is checked.
WS_MAX_BYTES = 4 * MAX_MESSAGE
