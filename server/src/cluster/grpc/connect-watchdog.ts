/**
 * Bounds how long a gRPC channel may stay CONNECTING.
 *
 * grpc-js opens its TCP connection with a plain `net.connect` and no timeout of its own. When a
 * peer's packets are silently dropped (a real network cut: Docker `network disconnect`, a
 * firewall), the SYN goes unanswered and the attempt lasts as long as the kernel retries it
 * (about two minutes on Linux). The channel stays CONNECTING all that time, never retries after
 * the network heals, and every call queues behind it ("Waiting for LB pick") until its deadline.
 * Reconnect backoff and keepalive options do not help: they act before and after a connection,
 * not during the attempt. So when the channel has been CONNECTING for `limitMs`, the owner is
 * told to replace the channel; a fresh channel starts a fresh attempt.
 */
import * as grpc from '@grpc/grpc-js';

/** The part of a client's channel the watch needs (a structural type, so tests can drive it). */
export type WatchedChannel = Pick<ReturnType<grpc.Client['getChannel']>, 'getConnectivityState' | 'watchConnectivityState'>;

/**
 * Follows `channel`'s state until it shuts down, and calls `onStuck` once if it stays
 * CONNECTING for `limitMs`. The watch ends with the channel (closing it ends any pending wait).
 */
export function watchConnectAttempts(channel: WatchedChannel, limitMs: number, onStuck: () => void): void {
  const follow = (): void => {
    const state = channel.getConnectivityState(false);
    if (state === grpc.connectivityState.SHUTDOWN) return;
    // Only a connect attempt gets a deadline; other states are waited on without a timer, so an
    // idle channel keeps nothing scheduled.
    const deadline = state === grpc.connectivityState.CONNECTING ? Date.now() + limitMs : Infinity;
    channel.watchConnectivityState(state, deadline, (deadlinePassed) => {
      if (deadlinePassed) onStuck();
      else follow();
    });
  };
  follow();
}
