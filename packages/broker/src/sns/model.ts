import { BatchResultErrorEntry } from '../model';
import { blob, entryMap, memberList, string, structure } from '../shapes';

/**
 * Shapes shared by several SNS actions, as botocore's SNS model has them
 * (names as in the API reference). SNS's Query lists and maps are wrapped:
 * `Tags.member.N.Key`, `Attributes.entry.N.key` (see ../shapes.ts).
 */

/** TopicAttributesMap and SubscriptionAttributesMap */
export const AttributesMap = entryMap(string);

export const Tag = structure({ Key: string, Value: string }, ['Key', 'Value']);
export const TagList = memberList(Tag);
export const TagKeyList = memberList(string);

export const MessageAttributeValue = structure(
  { DataType: string, StringValue: string, BinaryValue: blob },
  ['DataType'],
);
/** The one SNS map whose entries say `Name` and `Value` */
export const MessageAttributeMap = entryMap(
  MessageAttributeValue,
  'Name',
  'Value',
);

export const Subscription = structure({
  SubscriptionArn: string,
  Owner: string,
  Protocol: string,
  Endpoint: string,
  TopicArn: string,
});
export const SubscriptionsList = memberList(Subscription);

/** Publish's optional members, which each PublishBatch entry also has */
export const PublishedMessage = {
  Subject: string,
  MessageStructure: string,
  MessageAttributes: MessageAttributeMap,
  MessageDeduplicationId: string,
  MessageGroupId: string,
};

export const PublishBatchRequestEntry = structure(
  { Id: string, Message: string, ...PublishedMessage },
  ['Id', 'Message'],
);

export const PublishBatchResultEntry = structure({
  Id: string,
  MessageId: string,
  SequenceNumber: string,
});

/** The same entry as SQS's batches, in SNS's wrapped list */
export const BatchResultErrorEntryList = memberList(BatchResultErrorEntry);
