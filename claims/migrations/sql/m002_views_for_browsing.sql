-- m002_views_for_browsing: the SQL this step ran when it was written, frozen (a schema change is a new step).

CREATE VIEW "estimates" AS 
        select figures.id as figure_id, figures.claim_id, figures.measure, figures.qualifier,
               figures.low, figures.high,
               case when figures.low is not null and figures.high is not null and figures.low != figures.high
                    then (figures.low + figures.high) / 2.0
                    else coalesce(figures.low, figures.high) end as value,
               figures.unit, coalesce(claims.said_on, sources.published) as dated,
               coalesce(actors.name, '(nobody)') as asserted_by, claims.status, claims.text,
               claims.source_id, sources.title as source
        from figures
        join claims on claims.id = figures.claim_id
        join sources on sources.id = claims.source_id
        left join attributions on attributions.claim_id = claims.id and attributions.role = 'asserts'
        left join actors on actors.id = attributions.actor_id;

CREATE VIEW "contested_claims" AS 
        select claims.id, claims.text, claims.status, claims.asserted_by, claims.denied_by, claims.disputed_by,
               coalesce(claims.said_on, sources.published) as dated, claims.source_id, sources.title as source
        from claims join sources on sources.id = claims.source_id
        where exists (select 1 from attributions where claim_id = claims.id and role = 'asserts')
          and exists (select 1 from attributions where claim_id = claims.id and role in ('denies', 'disputes'));

CREATE VIEW "unconfirmed_claims" AS 
        select claims.id, claims.text, claims.status, claims.asserted_by, claims.not_confirmed_by,
               coalesce(claims.said_on, sources.published) as dated, claims.status_changed_at,
               claims.source_id, sources.title as source
        from claims join sources on sources.id = claims.source_id
        where claims.status not in ('confirmed', 'false', 'retracted')
          and not exists (select 1 from attributions where claim_id = claims.id and role = 'confirms');

