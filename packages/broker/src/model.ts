import { blob, boolean, integer, list, map, string, structure } from './shapes';

/** Shapes shared by several SQS actions (names as in the API reference). */
export const MessageAttributeValue = structure(
  {
    StringValue: string,
    BinaryValue: blob,
    StringListValues: list(string, 'StringListValue'),
    BinaryListValues: list(blob, 'BinaryListValue'),
    DataType: string,
  },
  ['DataType'],
);

export const MessageAttributeMap = map(
  MessageAttributeValue,
  'MessageAttribute',
);
export const SystemAttributeMap = map(
  MessageAttributeValue,
  'MessageSystemAttribute',
);
export const QueueAttributeMap = map(string, 'Attribute');
export const TagMap = map(string, 'Tag', 'Key', 'Value');
export const AttributeNameList = list(string, 'AttributeName');

export const BatchResultErrorEntry = structure({
  Id: string,
  SenderFault: boolean,
  Code: string,
  Message: string,
});
export const BatchErrors = list(BatchResultErrorEntry, 'BatchResultErrorEntry');

export const Message = structure({
  MessageId: string,
  ReceiptHandle: string,
  MD5OfBody: string,
  Body: string,
  Attributes: map(string, 'Attribute'),
  MD5OfMessageAttributes: string,
  MessageAttributes: MessageAttributeMap,
});

export { blob, boolean, integer, list, map, string, structure };
