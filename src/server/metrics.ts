// Prometheus metrics of one server (its own registry, so several servers in one process stay apart):
// requests by route and status, request latency, planning time, queue depth, and the process's own figures.
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';

export class ServerMetrics {
  readonly registry = new Registry();
  private readonly requests: Counter<'method' | 'route' | 'status'>;
  private readonly latency: Histogram<'route'>;
  private readonly planSeconds: Histogram<'policy'>;

  constructor(
    queueDepth: () => number,
    plannerBytes: () => number = () => 0,
    plannersReplaced: () => number = () => 0,
  ) {
    collectDefaultMetrics({ register: this.registry });
    this.requests = new Counter({
      name: 'dexnet_http_requests_total',
      help: 'HTTP requests answered, by method, route and status code',
      labelNames: ['method', 'route', 'status'],
      registers: [this.registry],
    });
    this.latency = new Histogram({
      name: 'dexnet_http_request_duration_seconds',
      help: 'Time from request to response, by route',
      labelNames: ['route'],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
      registers: [this.registry],
    });
    this.planSeconds = new Histogram({
      name: 'dexnet_plan_duration_seconds',
      help: 'Time the planner spent on one successful plan (in its planner process), by policy',
      labelNames: ['policy'],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
      registers: [this.registry],
    });
    new Gauge({
      name: 'dexnet_plan_queue_depth',
      help: 'Plan requests queued or running',
      registers: [this.registry],
      collect() {
        this.set(queueDepth());
      },
    });
    new Gauge({
      name: 'dexnet_planner_resident_memory_bytes',
      help: 'Resident memory of the planner processes together (the server process is process_resident_memory_bytes)',
      registers: [this.registry],
      collect() {
        this.set(plannerBytes());
      },
    });
    new Gauge({
      name: 'dexnet_planners_replaced',
      help: 'Planner processes replaced so far: past a deadline, over their memory budget, crashed, or recycled',
      registers: [this.registry],
      collect() {
        this.set(plannersReplaced());
      },
    });
  }

  /** `route` is the route pattern (e.g. /v1/model/plots/:name), never the raw URL, so label values stay few. */
  request(method: string, route: string, status: number, seconds: number): void {
    this.requests.inc({ method, route, status: String(status) });
    this.latency.observe({ route }, seconds);
  }

  plan(policy: string, seconds: number): void {
    this.planSeconds.observe({ policy }, seconds);
  }

  get contentType(): string {
    return this.registry.contentType;
  }

  text(): Promise<string> {
    return this.registry.metrics();
  }
}
