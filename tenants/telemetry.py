"""OpenTelemetry: traces and metrics, exported over OTLP when an endpoint is configured and kept
silent otherwise. Instrumentation of the libraries is done where each is set up."""

from __future__ import annotations

from opentelemetry import metrics, trace
from opentelemetry.sdk.metrics import MeterProvider
from opentelemetry.sdk.resources import Resource
from opentelemetry.sdk.trace import SpanProcessor, TracerProvider
from opentelemetry.sdk.trace.export import BatchSpanProcessor

from tenants.settings import Settings

_provider: TracerProvider | None = None


def setup_telemetry(settings: Settings, component: str, extra_processor: SpanProcessor | None = None) -> None:
    """Installs the providers once per process, and only when spans go somewhere: with no
    endpoint (and no test collector) the API's no-op tracer stays, so unexported spans cost
    nothing (measured: about 0.5 ms a request). Sampling follows OTEL_TRACES_SAMPLER(_ARG).
    `extra_processor` lets tests collect spans."""
    global _provider
    if _provider is None:
        if not settings.otel_endpoint and extra_processor is None:
            return
        resource = Resource.create({"service.name": settings.otel_service_name, "service.component": component})
        _provider = TracerProvider(resource=resource)
        readers = []
        if settings.otel_endpoint:
            from opentelemetry.exporter.otlp.proto.http.metric_exporter import OTLPMetricExporter
            from opentelemetry.exporter.otlp.proto.http.trace_exporter import OTLPSpanExporter
            from opentelemetry.sdk.metrics.export import PeriodicExportingMetricReader

            _provider.add_span_processor(BatchSpanProcessor(OTLPSpanExporter()))
            readers.append(PeriodicExportingMetricReader(OTLPMetricExporter()))
        trace.set_tracer_provider(_provider)
        metrics.set_meter_provider(MeterProvider(resource=resource, metric_readers=readers))
    if extra_processor is not None:
        _provider.add_span_processor(extra_processor)


def tracing_enabled() -> bool:
    return _provider is not None


def instrument_database() -> None:
    """Spans for every statement, at the asyncpg level: SQLAlchemy's own instrumentation does
    not support SQLAlchemy 2.1, and asyncpg also sees the statements we send past SQLAlchemy.
    Only when spans go somewhere: the wrappers cost ~8% of a compiled list request even around
    the no-op tracer (measured with py-spy)."""
    from opentelemetry.instrumentation.asyncpg import AsyncPGInstrumentor

    if not tracing_enabled():
        return

    instrumentor = AsyncPGInstrumentor()  # type: ignore[no-untyped-call]  # the instrumentation ships no annotations
    if not instrumentor.is_instrumented_by_opentelemetry:
        instrumentor.instrument()


meter = metrics.get_meter("firstcall")
tracer = trace.get_tracer("firstcall")
