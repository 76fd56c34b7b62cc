-- Shared prelude, prepended to every script. KEYS[1] is the namespace
-- prefix `{ns}:`: the only declared key, so Redis Cluster routes the script
-- to the slot of the `{ns}` hash tag, which every key below shares.
-- Values are stored as given (strings); timestamps are never re-encoded by
-- Lua, so they keep every digit.
local P = KEYS[1]

local function conv_key(id) return P .. 'conv:' .. id end
local function msgs_key(id) return P .. 'msgs:' .. id end
local function cids_key(id) return P .. 'cids:' .. id end
local function notes_key(id) return P .. 'notes:' .. id end
local function note_ids_key(id) return P .. 'note_ids:' .. id end

-- A conversation as a JSON object of strings (decoded in Rust), or nil.
local function conv_view(id)
  local h = redis.call('HGETALL', conv_key(id))
  if #h == 0 then return nil end
  local t = { id = id }
  for i = 1, #h, 2 do t[h[i]] = h[i + 1] end
  t.last_seq = tostring(redis.call('LLEN', msgs_key(id)))
  local last = redis.call('LINDEX', msgs_key(id), -1)
  if last then t.last = last end
  return cjson.encode(t)
end

-- Byte-wise `a < b`, as Rust orders strings: Lua's `<` uses the server's
-- collation locale.
local function bytes_lt(a, b)
  for i = 1, math.min(#a, #b) do
    local x, y = a:byte(i), b:byte(i)
    if x ~= y then return x < y end
  end
  return #a < #b
end

local function load_of(agent)
  return tonumber(redis.call('HGET', P .. 'loads', agent) or '0')
end

-- Whether an agent may be given a conversation of `site`: enabled, and an
-- admin or one of the site's agents (AgentRecord::serves).
local function serves(id, site)
  if redis.call('SISMEMBER', P .. 'disabled_agents', id) == 1 then return false end
  return redis.call('SISMEMBER', P .. 'admins', id) == 1
    or redis.call('SISMEMBER', P .. 'site_agents:' .. site, id) == 1
end

-- Mirrors store::choose::language_of: the primary subtag, lower-cased.
local function language_of(tag)
  if type(tag) ~= 'string' then return nil end
  local first = tag:match('^[^-_]*')
  if #first == 0 or #first > 8 or not first:match('^[A-Za-z]+$') then return nil end
  return first:lower()
end

-- A JSON value that may be null (cjson decodes null as a sentinel).
local function present(v)
  if v == nil or v == cjson.null then return nil end
  return v
end

-- Routing facts of every online, enabled agent (store::choose::Candidate):
-- one read of each record per script run.
local function online_staff(accept)
  local presence = redis.call('HGETALL', P .. 'presence')
  local staff = {}
  for i = 1, #presence, 2 do
    local id = presence[i]
    local cap = accept(presence[i + 1]) and redis.call('HGET', P .. 'agent_cap', id)
    local record = cap and redis.call('HGET', P .. 'agents', id)
    if record and redis.call('SISMEMBER', P .. 'disabled_agents', id) == 0 then
      local r = cjson.decode(record)
      local langs, teams = {}, {}
      for _, l in ipairs(present(r.languages) or {}) do
        local p = language_of(l)
        if p then langs[p] = true end
      end
      for _, t in ipairs(present(r.teams) or {}) do teams[t] = true end
      staff[#staff + 1] = {
        id = id, cap = tonumber(cap), load = load_of(id),
        last = tonumber(redis.call('HGET', P .. 'last_assigned', id) or '0'),
        langs = langs, teams = teams, role = r.role,
      }
    end
  end
  return staff
end

-- (a, b) by (key..., id) as Rust compares tuples: a before b?
local function ranks_before(a, b, ka, kb)
  for i = 1, #ka do
    if ka[i] ~= kb[i] then return ka[i] < kb[i] end
  end
  return bytes_lt(a.id, b.id)
end

-- Mirrors store::choose::choose_agent over `staff` (already those who
-- serve the site): team, language, relaxed, returning as in choose::Wanted.
local function choose_agent(staff, team, language, relaxed, returning)
  for _, c in ipairs(staff) do
    if c.id == returning and c.load < c.cap then return c end
  end
  local function in_pool(c) return relaxed or team == nil or c.teams[team] end
  local function speaks(c) return language ~= nil and c.langs[language] == true end
  local strict = false
  if not relaxed and language then
    for _, c in ipairs(staff) do
      if in_pool(c) and speaks(c) then strict = true end
    end
  end
  local best, best_key
  for _, c in ipairs(staff) do
    if in_pool(c) and c.load < c.cap and (not strict or speaks(c)) then
      local key = { speaks(c) and 0 or 1, c.load, c.last }
      if best == nil or ranks_before(c, best, key, best_key) then best, best_key = c, key end
    end
  end
  return best
end

-- Mirrors store::choose::choose_supervisor.
local function choose_supervisor(staff, from)
  local best, best_key
  for _, c in ipairs(staff) do
    if (c.role == 'supervisor' or c.role == 'admin') and c.id ~= from and c.load < c.cap then
      local key = { c.load, c.last }
      if best == nil or ranks_before(c, best, key, best_key) then best, best_key = c, key end
    end
  end
  return best
end

-- The line a conversation waits in, as the key of its service times.
local function served_key(site, team)
  return P .. 'served:' .. site .. ':' .. (team or '')
end

local function assign(id, agent, now)
  local ck = conv_key(id)
  local c = redis.call('HMGET', ck, 'status', 'site', 'team')
  if c[1] == 'queued' then
    -- Keep the line's last 20 service times (store::SERVED_KEPT).
    local key = served_key(c[2], c[3] or nil)
    redis.call('LPUSH', key, now)
    redis.call('LTRIM', key, 0, 19)
  end
  redis.call('HINCRBY', P .. 'loads', agent, 1)
  redis.call('HSET', P .. 'last_assigned', agent, now)
  redis.call('LREM', P .. 'queue', 0, id)
  redis.call('HSET', ck, 'status', 'assigned', 'agent', agent,
    'agent_name', redis.call('HGET', P .. 'agent_name', agent))
  -- Served: a later requeue or transfer owes nothing to a former agent.
  redis.call('HDEL', ck, 'queued_at', 'returning')
  redis.call('HINCRBY', ck, 'version', 1)
  redis.call('SADD', P .. 'assigned:' .. agent, id)
  return conv_view(id)
end

-- The routing team a site's new conversations wait for, if any.
local function site_team(site)
  local key = redis.call('HGET', P .. 'site_ids', site)
  local json = key and redis.call('HGET', P .. 'sites', key)
  return json and present(cjson.decode(json).team)
end

local function enqueue(id, now)
  local ck = conv_key(id)
  local previous = redis.call('HGET', ck, 'agent')
  if previous then redis.call('SREM', P .. 'resolved:' .. previous, id) end
  -- A reopened conversation goes back to its agent if they can take it
  -- (store::choose::Wanted::returning).
  if previous and redis.call('HGET', ck, 'status') == 'resolved' then
    redis.call('HSET', ck, 'returning', previous)
  else
    redis.call('HDEL', ck, 'returning')
  end
  local team = site_team(redis.call('HGET', ck, 'site'))
  if team then redis.call('HSET', ck, 'team', team) else redis.call('HDEL', ck, 'team') end
  redis.call('HSET', ck, 'status', 'queued', 'queued_at', now)
  redis.call('HDEL', ck, 'agent', 'agent_name', 'rating')
  redis.call('HINCRBY', ck, 'version', 1)
  redis.call('RPUSH', P .. 'queue', id)
end


-- Full-text index (crate::search; docs/ARCHITECTURE.md, "History and
-- search"): for each folded word, the set of conversations using it
-- (`word:<w>`), every word in a sorted set for prefix lookups (`words`),
-- and each conversation's words (`words_of:<id>`) so deleting it can take
-- them out. `first` is the index of the first word in ARGV.
local function index_words(id, first)
  if first > #ARGV then return end
  -- One variadic call each for the sorted set and the conversation's
  -- words: a batch of messages can bring many words.
  local scored, words = {}, {}
  for i = first, #ARGV do
    local w = ARGV[i]
    redis.call('SADD', P .. 'word:' .. w, id)
    scored[#scored + 1] = 0
    scored[#scored + 1] = w
    words[#words + 1] = w
  end
  redis.call('ZADD', P .. 'words', unpack(scored))
  redis.call('SADD', P .. 'words_of:' .. id, unpack(words))
end

-- Takes a conversation out of the history's indexes.
local function unindex(id, site)
  for _, w in ipairs(redis.call('SMEMBERS', P .. 'words_of:' .. id)) do
    redis.call('SREM', P .. 'word:' .. w, id)
    if redis.call('EXISTS', P .. 'word:' .. w) == 0 then redis.call('ZREM', P .. 'words', w) end
  end
  redis.call('DEL', P .. 'words_of:' .. id)
  redis.call('SREM', P .. 'unindexed', id)
  redis.call('ZREM', P .. 'created', id)
  if site then redis.call('ZREM', P .. 'created:' .. site, id) end
end

-- Deletes a conversation and what points at it: its agent's load and
-- sets, the queue, the history's indexes, its messages and notes. (Its
-- site's `site_convs` set is the caller's.)
local function delete_conversation(id, site)
  local c = redis.call('HMGET', conv_key(id), 'status', 'agent')
  if c[2] then
    if c[1] == 'assigned' and load_of(c[2]) > 0 then
      redis.call('HINCRBY', P .. 'loads', c[2], -1)
    end
    redis.call('SREM', P .. 'assigned:' .. c[2], id)
    redis.call('SREM', P .. 'resolved:' .. c[2], id)
  end
  redis.call('LREM', P .. 'queue', 0, id)
  unindex(id, site)
  redis.call('DEL', conv_key(id), msgs_key(id), cids_key(id), notes_key(id), note_ids_key(id))
end

-- Deletes a visitor's own keys and token. (Its site's `site_visitors`
-- set is the caller's.)
local function delete_visitor(v)
  local kept = redis.call('HMGET', P .. 'visitor:' .. v, 'token', 'ukey')
  if kept[1] then redis.call('HDEL', P .. 'visitor_tokens', kept[1]) end
  if kept[2] then redis.call('HDEL', P .. 'visitor_users', kept[2]) end
  redis.call('DEL', P .. 'visitor:' .. v, P .. 'vact:' .. v, P .. 'vpages:' .. v)
  -- Their callback requests (put_callback.lua).
  for _, id in ipairs(redis.call('ZRANGE', P .. 'vcallbacks:' .. v, 0, -1)) do
    redis.call('HDEL', P .. 'callbacks', id)
    redis.call('ZREM', P .. 'callbacks_open', id)
    redis.call('ZREM', P .. 'callbacks_closed', id)
  end
  redis.call('DEL', P .. 'vcallbacks:' .. v)
end

-- Report buckets (reports::tally): one hash per site and UTC hour, a field
-- `<dim>|<field>` per cell. Kept 800 days: a report reaches back at most
-- 366 days and compares with as many before.
local TALLY_TTL = 800 * 86400
local function tally_cell(site, hour, cell, op, value)
  local key = P .. 'tally:' .. site .. ':' .. hour
  if op == 'max' then
    local now = tonumber(redis.call('HGET', key, cell) or '')
    if not now or tonumber(value) > now then redis.call('HSET', key, cell, value) end
  else
    redis.call('HINCRBY', key, cell, value)
  end
  redis.call('EXPIRE', key, TALLY_TTL)
end
