/**
 * Standard queues: visible messages wait in one line in the order they became visible (sent,
 * delay ended, or visibility timeout ended), and receives take from its front.
 *
 * A message leaves the line only from the front (receive, move) or by being deleted (a terminal
 * state), so "state is Visible" is exactly "its entry in the line is live".
 */
import { MessageStore, type Admit } from './message-store.js';
import { RefDeque } from './ref-deque.js';
import { MessageState, type StoredMessage } from './stored-message.js';

const isVisible = (message: StoredMessage): boolean => message.state === MessageState.Visible;

export class StandardStore extends MessageStore {
  private readonly line = new RefDeque<StoredMessage>();

  receive(now: number, max: number, visibleAt: number, admit: Admit): StoredMessage[] {
    this.promoteDue(now);
    const taken: StoredMessage[] = [];
    while (taken.length < max) {
      const message = this.line.peekLive(isVisible);
      if (message === undefined) break;
      this.line.shift();
      if (!admit(message)) continue;
      this.beginFlight(message, visibleAt);
      taken.push(message);
    }
    return taken;
  }

  hasReceivable(now: number): boolean {
    let found = false;
    this.line.forEachLive(isVisible, () => {
      found = true;
      return false;
    });
    return found || this.hasDuePending(now);
  }

  forEachVisible(visit: (message: StoredMessage) => boolean): void {
    this.line.forEachLive(isVisible, visit);
  }

  protected placeVisible(message: StoredMessage): void {
    message.visibleOrder = this.nextVisibleOrder++;
    this.line.push(message);
  }

  protected restoreVisible(message: StoredMessage): void {
    this.line.push(message);
  }

  protected onRemoved(): void {
    if (this.line.length > 2 * this.size + 1024) this.line.compact(isVisible);
  }

  protected onCleared(): void {
    this.line.clear();
  }
}
