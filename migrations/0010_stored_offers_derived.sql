-- Custom SQL migration file, put your code below! --
-- Offers written before this release: what they show from outside their content, as the
-- service now derives it (catalogue/content.ts). Their content and versions are left as they
-- are (a version is immutable; content that still holds the alliances of its day compares
-- equal to the same content without them, see isSameContent).

-- The change-feed lock, held to commit, as every writer of the feed holds it.
select pg_advisory_xact_lock(1, 0);
--> statement-breakpoint

-- Registered institutions named as awarding bodies by offers (other than their provider) are
-- asked to confirm.
insert into "awarding_consents" ("offer_id", "institution_schac", "requested_at")
select distinct o."id", b.body->>'schac', o."updated_at"
from "offers" o
cross join lateral jsonb_array_elements(coalesce(o."content"->'awardingBodies', '[]'::jsonb)) as b(body)
join "institutions" i on i."schac" = b.body->>'schac'
where b.body ? 'schac' and b.body->>'schac' <> o."institution_schac"
on conflict do nothing;
--> statement-breakpoint

-- Alliances: the institution's memberships of now. Issuer countries: those stated that the
-- provider or a body declared by name is in (no named institution has confirmed yet).
with derived as (
  select
    o."id",
    coalesce(
      (select array_agg(m."alliance_slug" order by m."alliance_slug") from "alliance_members" m where m."institution_schac" = o."institution_schac"),
      '{}'
    ) as alliances,
    coalesce(
      array(
        select c.country
        from jsonb_array_elements_text(coalesce(o."content"->'issuerCountries', jsonb_build_array(i."country"))) with ordinality as c(country, n)
        where c.country = i."country"
          or exists (
            select 1 from jsonb_array_elements(coalesce(o."content"->'awardingBodies', '[]'::jsonb)) as b(body)
            where not (b.body ? 'schac') and b.body->>'country' = c.country
          )
        order by c.n
      ),
      '{}'
    ) as issuer_countries
  from "offers" o
  join "institutions" i on i."schac" = o."institution_schac"
),
changed as (
  select o."id", d.alliances, d.issuer_countries,
    o."alliances" is distinct from d.alliances as alliances_changed,
    o."issuer_countries" is distinct from d.issuer_countries as countries_changed
  from "offers" o
  join derived d on d."id" = o."id"
  where o."alliances" is distinct from d.alliances or o."issuer_countries" is distinct from d.issuer_countries
),
updated as (
  update "offers" o
  set "alliances" = c.alliances, "issuer_countries" = c.issuer_countries, "revision" = o."revision" + 1, "updated_at" = now()
  from changed c
  where c."id" = o."id"
  returning o."id", o."institution_schac", o."status", o."version", o."published_at", c.alliances_changed, c.countries_changed
)
insert into "changes" ("type", "entity_id", "action", "version", "institution", "visible_to")
select 'offer', u."id"::text, a.action, u."version", u."institution_schac",
  case when u."status" = 'published' or (u."status" = 'withdrawn' and u."published_at" is not null) then null else array[u."institution_schac"] end
from updated u
cross join lateral (
  select 'alliances_changed' as action, 1 as n where u.alliances_changed
  union all
  select 'awarding_changed', 2 where u.countries_changed
) a
order by u."institution_schac", u."id", a.n;
