"""The broker, chosen from BROKER_URL: amqp:// RabbitMQ, redis:// Redis, unset the in-process
stub broker (the embedded default, whose durable state is the PostgreSQL outbox)."""

from __future__ import annotations

import dramatiq
from dramatiq.brokers.stub import StubBroker
from dramatiq.middleware import AsyncIO

EVENTS_QUEUE = "events"


def make_broker(url: str | None) -> dramatiq.Broker:
    if not url:
        broker: dramatiq.Broker = StubBroker()
    elif url.startswith(("amqp://", "amqps://")):
        from dramatiq.brokers.rabbitmq import RabbitmqBroker

        broker = RabbitmqBroker(url=url, confirm_delivery=True)
    elif url.startswith(("redis://", "rediss://")):
        from dramatiq.brokers.redis import RedisBroker

        broker = RedisBroker(url=url)
    else:
        raise ValueError(f"BROKER_URL must start with amqp://, amqps://, redis:// or rediss://, not {url.split(':')[0]}://")
    broker.add_middleware(AsyncIO())
    return broker


def broker_reachable(broker: dramatiq.Broker) -> bool:
    try:
        if isinstance(broker, StubBroker):
            return True
        if broker.__class__.__name__ == "RedisBroker":
            return bool(broker.client.ping())
        import pika

        pika.BlockingConnection(broker.parameters[0] if isinstance(broker.parameters, list) else broker.parameters).close()
        return True
    except Exception:
        return False
