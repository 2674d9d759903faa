"""`respond_to_request`: the answer of an "ingest and respond" webhook."""

from .host import current
from .records import to_json_value


def respond_to_request(request_key, payload):
    """Sends payload back to the caller of the webhook request `request_key`
    once the run has succeeded."""
    current().responses.append(
        {"requestKey": str(request_key), "payload": to_json_value(payload, "respond_to_request()")}
    )
