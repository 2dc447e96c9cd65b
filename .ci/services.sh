#!/usr/bin/env bash
# Starts the local services the tests talk to when they are down: PostgreSQL, Redis, RabbitMQ.
# A service that cannot be started here is reported, not fatal: the tests then use the embedded
# PostgreSQL, and broker tests name what is missing.
set -u
up() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
wait_up() { for _ in $(seq 1 60); do up "$1" && return 0; sleep 1; done; return 1; }

if ! up 5432; then
  if command -v pg_ctlcluster >/dev/null && [ -d /etc/postgresql ]; then
    echo "starting PostgreSQL"
    pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql | head -1)" main start || true
    wait_up 5432 || echo "PostgreSQL did not come up; tests will use the embedded server"
  else
    echo "no PostgreSQL on 127.0.0.1:5432; tests will use the embedded server"
  fi
fi
if ! up 6379; then
  if command -v redis-server >/dev/null; then
    echo "starting Redis"
    mkdir -p /var/lib/redis /var/log/redis 2>/dev/null || true
    redis-server --daemonize yes --bind 127.0.0.1 -::1 --port 6379 --save "" --appendonly no \
      --dir /var/lib/redis --logfile /var/log/redis/ci.log || true
    wait_up 6379 || echo "Redis did not come up"
  else
    echo "no Redis on 127.0.0.1:6379"
  fi
fi
if ! up 5672; then
  if command -v rabbitmq-server >/dev/null; then
    echo "starting RabbitMQ"
    rabbitmq-server -detached || true
    wait_up 5672 || echo "RabbitMQ did not come up"
  else
    echo "no RabbitMQ on 127.0.0.1:5672"
  fi
fi
exit 0
