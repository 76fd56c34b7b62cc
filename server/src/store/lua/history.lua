-- ARGV: agent, status, from, to, after_at, after_id ('' for none, each),
-- limit, scan cap, ids cap, checks cap, the number of sites (-1: every
-- site), the site ids, then the query's folded words. Reply: ok, next_at,
-- next_id ('' and '' when nothing more matches), then each conversation
-- found, newest first | too_broad (store::HistoryQuery;
-- docs/ARCHITECTURE.md, "History and search").
local agent, status = ARGV[1], ARGV[2]
local from, to = tonumber(ARGV[3]), tonumber(ARGV[4])
local after_at, after_id = tonumber(ARGV[5]), ARGV[6]
local limit, cap = tonumber(ARGV[7]), tonumber(ARGV[8])
local ids_cap, checks_cap, nsites = tonumber(ARGV[9]), tonumber(ARGV[10]), tonumber(ARGV[11])
local sites, only, first_word = nil, nil, 12
if nsites >= 0 then
  sites = {}
  for i = 12, 11 + nsites do
    sites[ARGV[i]] = true
    only = ARGV[i]
  end
  first_word = 12 + nsites
  if nsites == 0 then return { 'ok', '', '' } end
  if nsites > 1 then only = nil end
end

-- Within the dates and after the cursor (order: created_at, then id,
-- both descending).
local function in_range(at, id)
  if from and at < from then return false end
  if to and at >= to then return false end
  if after_at and (at > after_at or (at == after_at and not bytes_lt(id, after_id))) then
    return false
  end
  return true
end

local function passes(id)
  local c = redis.call('HMGET', conv_key(id), 'site', 'status', 'agent')
  if not c[1] then return false end
  if sites and not sites[c[1]] then return false end
  if status ~= '' and c[2] ~= status then return false end
  if agent ~= '' and c[3] ~= agent then return false end
  return true
end

local out, found = { 'ok', '', '' }, 0
-- Adds a conversation; true when the page is full.
local function take(id, at)
  out[#out + 1] = conv_view(id)
  found = found + 1
  if found == limit then
    out[2], out[3] = at, id
    return true
  end
  return false
end

if first_word <= #ARGV then
  -- Each query word stands for the indexed words it starts (at most 200),
  -- and for the conversations using any of them. The rarest word's
  -- conversations are gathered (at most ids_cap), then each other word
  -- keeps those that use it: by gathering its own when they are few, else
  -- by membership checks (at most checks_cap). Past either bound the
  -- search is too broad to answer in one call.
  local words = {}
  for i = first_word, #ARGV do
    local w = ARGV[i]
    local terms = redis.call('ZRANGEBYLEX', P .. 'words', '[' .. w, '[' .. w .. '\255', 'LIMIT', 0, 200)
    local total = 0
    for _, term in ipairs(terms) do total = total + redis.call('SCARD', P .. 'word:' .. term) end
    if total == 0 then return out end
    words[#words + 1] = { terms = terms, total = total }
  end
  table.sort(words, function(a, b) return a.total < b.total end)
  if words[1].total > ids_cap then return { 'too_broad' } end
  local candidates, count = {}, 0
  for _, term in ipairs(words[1].terms) do
    for _, id in ipairs(redis.call('SMEMBERS', P .. 'word:' .. term)) do
      if not candidates[id] then
        candidates[id] = true
        count = count + 1
      end
    end
  end
  local checks = 0
  for k = 2, #words do
    local w = words[k]
    local matched, kept = {}, 0
    if w.total <= ids_cap then
      for _, term in ipairs(w.terms) do
        for _, id in ipairs(redis.call('SMEMBERS', P .. 'word:' .. term)) do
          if candidates[id] and not matched[id] then
            matched[id] = true
            kept = kept + 1
          end
        end
      end
    else
      checks = checks + count * #w.terms
      if checks > checks_cap then return { 'too_broad' } end
      for id in pairs(candidates) do
        for _, term in ipairs(w.terms) do
          if redis.call('SISMEMBER', P .. 'word:' .. term, id) == 1 then
            matched[id] = true
            kept = kept + 1
            break
          end
        end
      end
    end
    candidates, count = matched, kept
    if count == 0 then return out end
  end
  local list = {}
  for id in pairs(candidates) do
    local score = redis.call('ZSCORE', P .. 'created', id)
    if score and in_range(tonumber(score), id) then
      list[#list + 1] = { id = id, at = tonumber(score), score = score }
    end
  end
  table.sort(list, function(a, b)
    if a.at ~= b.at then return a.at > b.at end
    return bytes_lt(b.id, a.id)
  end)
  for _, e in ipairs(list) do
    if passes(e.id) and take(e.id, e.score) then return out end
  end
  return out
end

-- No words: walk the creation order, looking at no more than `cap`
-- conversations per call (the reply's cursor says where to go on).
local key = P .. 'created'
if only then key = P .. 'created:' .. only end
local max = '+inf'
if after_at then max = ARGV[5] elseif to then max = '(' .. ARGV[4] end
local min = from and ARGV[3] or '-inf'
local offset, seen = 0, 0
while true do
  local batch = redis.call('ZREVRANGEBYSCORE', key, max, min, 'WITHSCORES', 'LIMIT', offset, 200)
  if #batch == 0 then return out end
  offset = offset + #batch / 2
  for i = 1, #batch, 2 do
    local id, score = batch[i], batch[i + 1]
    if in_range(tonumber(score), id) then
      if passes(id) and take(id, score) then return out end
      seen = seen + 1
      if seen >= cap then
        out[2], out[3] = score, id
        return out
      end
    end
  end
end
