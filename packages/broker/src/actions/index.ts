import type { Action } from '../action';
import {
  cancelMessageMoveTask,
  listMessageMoveTasks,
  startMessageMoveTask,
} from './move-tasks';
import { receiveMessage, sendMessage, sendMessageBatch } from './messages';
import { addPermission, removePermission } from './permissions';
import {
  createQueue,
  deleteQueue,
  getQueueAttributes,
  getQueueUrl,
  listDeadLetterSourceQueues,
  listQueues,
  purgeQueue,
  setQueueAttributes,
} from './queues';
import {
  changeMessageVisibility,
  changeMessageVisibilityBatch,
  deleteMessage,
  deleteMessageBatch,
} from './receipts';
import { listQueueTags, tagQueue, untagQueue } from './tags';

/** Every SQS action by its wire name, for both the JSON target and Query `Action=`. */
export const SQS_ACTIONS: ReadonlyMap<string, Action> = new Map(
  [
    createQueue,
    deleteQueue,
    getQueueUrl,
    listQueues,
    getQueueAttributes,
    setQueueAttributes,
    purgeQueue,
    listDeadLetterSourceQueues,
    sendMessage,
    sendMessageBatch,
    receiveMessage,
    deleteMessage,
    deleteMessageBatch,
    changeMessageVisibility,
    changeMessageVisibilityBatch,
    tagQueue,
    untagQueue,
    listQueueTags,
    addPermission,
    removePermission,
    startMessageMoveTask,
    cancelMessageMoveTask,
    listMessageMoveTasks,
  ].map((action) => [action.name, action]),
);
