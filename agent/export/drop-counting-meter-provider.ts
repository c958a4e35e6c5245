// The batch processor counts what it drops when its queue is full only in its self-observability counter
// (`otel.sdk.processor.log.processed` with `error.type=queue_full`). This MeterProvider passes every
// instrument through to the real one and also tells the sink about each drop, so a flush can report it.
import type { Attributes, Context, Counter, Meter, MeterOptions, MeterProvider, MetricOptions } from '@opentelemetry/api';

const PROCESSED = 'otel.sdk.processor.log.processed';

export function createDropCountingMeterProvider(real: MeterProvider, onDrop: (count: number) => void): MeterProvider {
  return {
    getMeter(name: string, version?: string, options?: MeterOptions): Meter {
      const meter = real.getMeter(name, version, options);
      return {
        createGauge: (n, o) => meter.createGauge(n, o),
        createHistogram: (n, o) => meter.createHistogram(n, o),
        createUpDownCounter: (n, o) => meter.createUpDownCounter(n, o),
        createObservableGauge: (n, o) => meter.createObservableGauge(n, o),
        createObservableCounter: (n, o) => meter.createObservableCounter(n, o),
        createObservableUpDownCounter: (n, o) => meter.createObservableUpDownCounter(n, o),
        addBatchObservableCallback: (cb, obs) => meter.addBatchObservableCallback(cb, obs),
        removeBatchObservableCallback: (cb, obs) => meter.removeBatchObservableCallback(cb, obs),
        createCounter<A extends Attributes = Attributes>(n: string, o?: MetricOptions): Counter<A> {
          const counter = meter.createCounter<A>(n, o);
          if (n !== PROCESSED) return counter;
          return {
            add(value: number, attributes?: A, context?: Context) {
              if (attributes?.['error.type'] === 'queue_full') onDrop(value);
              counter.add(value, attributes, context);
            },
          };
        },
      };
    },
  };
}
