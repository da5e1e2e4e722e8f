/** Every workload by name. */
import { holdWorkload } from './hold.js';
import { idleLongPollsWorkload } from './idle-long-polls.js';
import { longPollWorkload } from './long-poll.js';
import { fifoReceiveDeleteWorkload, receiveDeleteWorkload } from './receive-delete.js';
import { sendBatchWorkload } from './send-batch.js';
import { sendPacedWorkload } from './send-paced.js';
import { fifoSendWorkload, sendWorkload } from './send.js';
import { sendQueryWorkload } from './send-query.js';
import type { Workload, WorkloadName } from './workload.js';

export const WORKLOADS: Readonly<Record<WorkloadName, Workload>> = {
  send: sendWorkload,
  'send-batch': sendBatchWorkload,
  'receive-delete': receiveDeleteWorkload,
  'fifo-send': fifoSendWorkload,
  'fifo-receive-delete': fifoReceiveDeleteWorkload,
  'long-poll': longPollWorkload,
  'send-paced': sendPacedWorkload,
  'send-query': sendQueryWorkload,
  'idle-long-polls': idleLongPollsWorkload,
  hold: holdWorkload,
};
