-- Custom SQL migration file, put your code below! --
-- Decisions recorded before learner references were normalised keep their reference as
-- written (nothing is lost) and gain its normal form, as recognition/rules-learner.ts computes
-- it for new ones: Unicode NFKC, surrounding whitespace trimmed, lower case. Decisions whose
-- references collide once normalised are not merged: `npm run admin -- recognition
-- learner-collisions` lists them for the registrar to supersede or revoke.
update "recognition_decisions"
set "learner_key" = normalize(lower(regexp_replace(normalize("learner_ref", NFKC), '^\s+|\s+$', '', 'g')), NFKC)
where "learner_ref" is not null and "learner_key" is null;
