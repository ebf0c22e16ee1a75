-- Custom SQL migration file, put your code below! --
-- Recognition entries written before the feed stored the decision's dates gain them from the
-- decision (decisions are never edited: these are the dates it was recorded with), so that the
-- feed and webhooks read them from the entry. Other entries keep null.
update "changes" as c
set "valid_from" = d."valid_from", "valid_until" = d."valid_until"
from "recognition_decisions" as d
where c."type" = 'recognition' and c."entity_id" = d."id"::text and c."valid_from" is null;
