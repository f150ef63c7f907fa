import { setTimeout as sleep } from 'node:timers/promises';
import type { Job } from 'bullmq';
import { openBeeProducer, openBeeWorker } from './bee-queue-peer';
import { openBullmqQueue, openBullmqWorker } from './bullmq-peer';
import type { Arrivals } from './latency-recorder';
import type { Lane, LatencySystem } from './latency-systems';
import { closeRsmq, openRsmq } from './rsmq-peer';

/**
 * The Redis-queue peers of the latency benchmark, each a consumer waiting
 * the way its README shows and a producer adding one job at a time. A run's
 * queue gets a key prefix of its own under `prefix`, so nothing of an
 * earlier run is left in it.
 */

const NO_BROKER = () => NaN;
const nothingToClose = () => Promise.resolve();

/** A BullMQ Worker (blocking on its marker key), Queue.add per message. */
export function bullmqLatency(url: string, prefix: string): LatencySystem {
  return {
    name: 'bullmq',
    brokerCpuMs: NO_BROKER,
    close: nothingToClose,
    async open(queue, arrivals, concurrency): Promise<Lane> {
      const lanePrefix = `${prefix}:${queue}`;
      const jobs = openBullmqQueue(url, lanePrefix);
      const worker = openBullmqWorker(
        url,
        lanePrefix,
        concurrency,
        true,
        (job: Job<{ body: string }>) => {
          arrivals.arrived(job.id!, job.data.body);
          return Promise.resolve();
        },
      );
      worker.on('failed', (_job, error) => arrivals.fail(error));
      worker.on('error', (error) => arrivals.fail(error));
      await Promise.all([jobs.waitUntilReady(), worker.waitUntilReady()]);
      return {
        send: async (body) => {
          await jobs.add('message', { body });
        },
        close: async () => {
          await worker.close();
          await jobs.close();
        },
      };
    },
  };
}

/** bee-queue's process() (a blocking BRPOPLPUSH), createJob().save() per message. */
export function beeQueueLatency(url: string, prefix: string): LatencySystem {
  return {
    name: 'bee_queue',
    brokerCpuMs: NO_BROKER,
    close: nothingToClose,
    async open(queue, arrivals, concurrency): Promise<Lane> {
      const lanePrefix = `${prefix}:${queue}`;
      const producer = openBeeProducer(url, lanePrefix);
      const worker = openBeeWorker(url, lanePrefix);
      worker.on('failed', (_job, error) => arrivals.fail(error));
      worker.on('error', (error) => arrivals.fail(error));
      await Promise.all([producer.ready(), worker.ready()]);
      worker.process(concurrency, (job) => {
        arrivals.arrived(job.id, job.data.body);
        return Promise.resolve();
      });
      return {
        send: async (body) => {
          await producer.createJob({ body }).save();
        },
        close: async () => {
          await worker.close();
          await producer.close();
        },
      };
    },
  };
}

/**
 * RSMQ has no blocking receive: each consumer loop polls receiveMessage
 * and sleeps this long when the queue is empty, so a message waits up to
 * that long for the next poll, and an idle consumer still costs Redis work.
 */
export const RSMQ_IDLE_SLEEP_MS = 10;

/** `concurrency` loops of receiveMessage, the handler, deleteMessage. */
function pollRsmq(
  rsmq: ReturnType<typeof openRsmq>,
  qname: string,
  arrivals: Arrivals,
  concurrency: number,
): Lane {
  let polling = true;
  const poll = async () => {
    while (polling) {
      const message = await rsmq.receiveMessageAsync({ qname });
      if ('id' in message) {
        arrivals.arrived(message.id, message.message);
        await rsmq.deleteMessageAsync({ qname, id: message.id });
      } else {
        await sleep(RSMQ_IDLE_SLEEP_MS);
      }
    }
  };
  const loops = Promise.all(Array.from({ length: concurrency }, poll)).catch(
    (error: unknown) => arrivals.fail(error),
  );
  return {
    send: async (message) => {
      await rsmq.sendMessageAsync({ qname, message });
    },
    close: async () => {
      polling = false;
      await loops;
    },
  };
}

/** RSMQ, one client for every run, a queue of its own per run. */
export function rsmqLatency(url: string, ns: string): LatencySystem {
  const rsmq = openRsmq(url, ns);
  return {
    name: 'rsmq',
    brokerCpuMs: NO_BROKER,
    close: () => closeRsmq(rsmq),
    async open(queue, arrivals, concurrency): Promise<Lane> {
      await rsmq.createQueueAsync({ qname: queue });
      return pollRsmq(rsmq, queue, arrivals, concurrency);
    },
  };
}
