import {
  boolean,
  memberList,
  string,
  structure,
  type Operation,
  type StructureShape,
} from '../shapes';
import {
  AttributesMap,
  BatchResultErrorEntryList,
  PublishBatchRequestEntry,
  PublishBatchResultEntry,
  PublishedMessage,
  SubscriptionsList,
  TagKeyList,
  TagList,
} from './model';

/**
 * The input and output shapes of every SNS action Sluice serves, from
 * botocore's SNS model (2010-03-31). An action without `output` answers with
 * no `<NameResult>` element; one whose output has no members answers with an
 * empty one, which botocore requires.
 */
function operation(
  name: string,
  input: StructureShape,
  output?: StructureShape,
): Operation {
  return { name, input, ...(output && { output }) };
}

const topic = structure({ TopicArn: string }, ['TopicArn']);
const subscription = structure({ SubscriptionArn: string }, [
  'SubscriptionArn',
]);
const page = structure({ NextToken: string });
const subscriptionsPage = structure({
  Subscriptions: SubscriptionsList,
  NextToken: string,
});
const attributes = structure({ Attributes: AttributesMap });
const subscriptionArn = structure({ SubscriptionArn: string });
const setAttribute = (target: string) =>
  structure(
    { [target]: string, AttributeName: string, AttributeValue: string },
    [target, 'AttributeName'],
  );

export const CreateTopic = operation(
  'CreateTopic',
  structure(
    {
      Name: string,
      Attributes: AttributesMap,
      Tags: TagList,
      DataProtectionPolicy: string,
    },
    ['Name'],
  ),
  structure({ TopicArn: string }),
);

export const DeleteTopic = operation('DeleteTopic', topic);

export const ListTopics = operation(
  'ListTopics',
  page,
  structure({
    Topics: memberList(structure({ TopicArn: string })),
    NextToken: string,
  }),
);

export const GetTopicAttributes = operation(
  'GetTopicAttributes',
  topic,
  attributes,
);

export const SetTopicAttributes = operation(
  'SetTopicAttributes',
  setAttribute('TopicArn'),
);

export const Subscribe = operation(
  'Subscribe',
  structure(
    {
      TopicArn: string,
      Protocol: string,
      Endpoint: string,
      Attributes: AttributesMap,
      ReturnSubscriptionArn: boolean,
    },
    ['TopicArn', 'Protocol'],
  ),
  subscriptionArn,
);

export const ConfirmSubscription = operation(
  'ConfirmSubscription',
  structure(
    // AuthenticateOnUnsubscribe is a string ("true"/"false") in the model.
    { TopicArn: string, Token: string, AuthenticateOnUnsubscribe: string },
    ['TopicArn', 'Token'],
  ),
  subscriptionArn,
);

export const Unsubscribe = operation('Unsubscribe', subscription);

export const ListSubscriptions = operation(
  'ListSubscriptions',
  page,
  subscriptionsPage,
);

export const ListSubscriptionsByTopic = operation(
  'ListSubscriptionsByTopic',
  structure({ TopicArn: string, NextToken: string }, ['TopicArn']),
  subscriptionsPage,
);

export const GetSubscriptionAttributes = operation(
  'GetSubscriptionAttributes',
  subscription,
  attributes,
);

export const SetSubscriptionAttributes = operation(
  'SetSubscriptionAttributes',
  setAttribute('SubscriptionArn'),
);

export const Publish = operation(
  'Publish',
  structure(
    {
      TopicArn: string,
      TargetArn: string,
      PhoneNumber: string,
      Message: string,
      ...PublishedMessage,
    },
    ['Message'],
  ),
  structure({ MessageId: string, SequenceNumber: string }),
);

export const PublishBatch = operation(
  'PublishBatch',
  structure(
    {
      TopicArn: string,
      PublishBatchRequestEntries: memberList(PublishBatchRequestEntry),
    },
    ['TopicArn', 'PublishBatchRequestEntries'],
  ),
  structure({
    Successful: memberList(PublishBatchResultEntry),
    Failed: BatchResultErrorEntryList,
  }),
);

export const TagResource = operation(
  'TagResource',
  structure({ ResourceArn: string, Tags: TagList }, ['ResourceArn', 'Tags']),
  structure({}),
);

export const UntagResource = operation(
  'UntagResource',
  structure({ ResourceArn: string, TagKeys: TagKeyList }, [
    'ResourceArn',
    'TagKeys',
  ]),
  structure({}),
);

export const ListTagsForResource = operation(
  'ListTagsForResource',
  structure({ ResourceArn: string }, ['ResourceArn']),
  structure({ Tags: TagList }),
);

export const AddPermission = operation(
  'AddPermission',
  structure(
    {
      TopicArn: string,
      Label: string,
      AWSAccountId: memberList(string),
      ActionName: memberList(string),
    },
    ['TopicArn', 'Label', 'AWSAccountId', 'ActionName'],
  ),
);

export const RemovePermission = operation(
  'RemovePermission',
  structure({ TopicArn: string, Label: string }, ['TopicArn', 'Label']),
);

/** Every SNS operation by its wire name (`Action=`). */
export const SNS_OPERATIONS: ReadonlyMap<string, Operation> = new Map(
  [
    CreateTopic,
    DeleteTopic,
    ListTopics,
    GetTopicAttributes,
    SetTopicAttributes,
    Subscribe,
    ConfirmSubscription,
    Unsubscribe,
    ListSubscriptions,
    ListSubscriptionsByTopic,
    GetSubscriptionAttributes,
    SetSubscriptionAttributes,
    Publish,
    PublishBatch,
    TagResource,
    UntagResource,
    ListTagsForResource,
    AddPermission,
    RemovePermission,
  ].map((op) => [op.name, op]),
);
