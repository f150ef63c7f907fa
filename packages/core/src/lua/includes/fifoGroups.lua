-- FIFO message groups. `q.order` holds "<group>\0<sequence>\0<id>" members
-- (scores 0), so one lexicographic range is one group in send order;
-- `q.members` maps an id to its member; `q.groups` scores each group with the
-- ms from which it may deliver. Group ids are printable ASCII, so "\0" and
-- "\1" bound a group's range.

-- A group's messages in flight all came from one receive, which took them
-- from the group's head, so they lie within its first few members: the ten a
-- receive may take, plus any a failed dead-letter move put back before them.
-- The first eleven nearly always tell; when the eleventh is in flight too,
-- refreshGroup reads this many.
local GROUP_WINDOW = 32

-- Sequence numbers are 20 digits, as in SQS, so text order is number order.
local function formatSequence(n)
  return string.format('1%019d', n)
end

local function memberOf(group, sequence, id)
  return group .. '\0' .. sequence .. '\0' .. id
end

-- The member of a message joining the end of its group.
local function newMember(metaKey, group, id)
  return memberOf(group, formatSequence(redis.call('HINCRBY', metaKey, 'sequence', 1)), id)
end

local function splitMember(member)
  return string.match(member, '^(.-)%z(%d+)%z(.*)$')
end

-- Up to `limit` members of a group in order, after skipping `offset` (or 0).
local function groupMembers(q, group, limit, offset)
  return redis.call('ZRANGEBYLEX', q.order, '[' .. group .. '\0', '(' .. group .. '\1', 'LIMIT', offset or 0, limit)
end

-- Takes a message out of its group's order, keeping its member for a move
-- that may have to put it back. Returns the group, or nil (not FIFO).
local function leaveOrder(q, id)
  local member = redis.call('HGET', q.members, id)
  if not member then
    return nil
  end
  redis.call('ZREM', q.order, member)
  return (splitMember(member))
end

-- Recomputes when a group may next deliver: never while a message of it is in
-- flight, else when its head turns visible. Drops a group with no messages.
-- Returns that time (ms), or nil for a dropped group.
local function refreshGroup(q, group, now)
  local at, last
  for _, window in ipairs({11, GROUP_WINDOW}) do
    local members = groupMembers(q, group, window)
    if #members == 0 then
      redis.call('ZREM', q.groups, group)
      return nil
    end
    local ids = {}
    for n, member in ipairs(members) do
      local _, _, id = splitMember(member)
      ids[n] = id
    end
    local scores = redis.call('ZMSCORE', q.schedule, unpack(ids))
    local receipts = redis.call('HMGET', q.receipts, unpack(ids))
    at, last = tonumber(scores[1]) or now, false
    for n = 1, #ids do
      local score = tonumber(scores[n])
      last = receipts[n] and score and score > now
      if last and score > at then
        at = score
      end
    end
    if #members < window or not last then
      break
    end
  end
  redis.call('ZADD', q.groups, at, group)
  return at
end

-- Refreshes each group named as a key of `groups`; returns how many of them
-- can deliver now and the earliest later time one can (or nil).
local function refreshGroups(q, groups, now)
  local ready, earliest = 0, nil
  for group in pairs(groups) do
    local at = refreshGroup(q, group, now)
    if at and at <= now then
      ready = ready + 1
    elseif at and (not earliest or at < earliest) then
      earliest = at
    end
  end
  return ready, earliest
end
