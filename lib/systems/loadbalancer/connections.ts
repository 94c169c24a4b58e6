/**
 * Client connections at L4: an L4 balancer picks a backend once per connection, and every
 * request of that connection goes to it. A connection carries `requests_per_connection`
 * requests (keep-alive) and then closes; it also dies with the balancer that owned the virtual
 * address when it was opened (its epoch), and HAProxy's `on-marked-down shutdown-sessions`
 * closes connections to a backend marked down. `conns[backend]` is what `leastconn` reads at L4.
 */
export class Connections {
  /** Connections pinned to each backend (global index). */
  readonly conns: Float64Array;
  /** The backend a client's connection is pinned to, or -1. */
  readonly pin: Int32Array;
  /** The virtual address's epoch when the connection was opened. */
  readonly epoch: Int32Array;
  private readonly left: Float64Array;

  constructor(clients: number, backends: number) {
    this.conns = new Float64Array(backends);
    this.pin = new Int32Array(clients).fill(-1);
    this.epoch = new Int32Array(clients);
    this.left = new Float64Array(clients);
  }

  /** Opens client's connection to backend g. */
  open(client: number, g: number, epoch: number, requests: number): void {
    this.pin[client] = g;
    this.epoch[client] = epoch;
    this.left[client] = requests;
    this.conns[g]++;
  }

  /** A request of client's connection is over: the connection closes after its last one. */
  requestDone(client: number): void {
    if (this.pin[client] >= 0 && --this.left[client] <= 0) this.close(client);
  }

  close(client: number): void {
    const b = this.pin[client];
    if (b >= 0) this.conns[b]--;
    this.pin[client] = -1;
    this.left[client] = 0;
  }
}
