#!/usr/bin/env bash
# make demo: install what is missing, start the demo stack, configure and
# migrate CKAN, load the demo content, serve the portal (Gunicorn and two
# job workers, see stack.sh), with a mail catcher that keeps every message
# (make mail prints them) and a loop running `ckan partnership notify`.
# Safe to run again: demo.ini, the database, the index, the uploads and the
# mail are kept; what runs is not started twice.
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
STACK=$ROOT/stack/stack.sh
CKAN=$ROOT/.venv/bin/ckan
INI=$ROOT/demo.ini

"$STACK" install demo
"$STACK" start demo
eval "$("$STACK" env demo)"
# CKAN reads CKAN_* variables before its ini file: set them to the demo
# stack's, so that none inherited from the shell (a test run's) points the
# demo at another database, index or queue.
export CKAN_SQLALCHEMY_URL=$PARTNERSHIP_DB_URL
export CKAN_SOLR_URL=$PARTNERSHIP_SOLR_URL
export CKAN_REDIS_URL=$PARTNERSHIP_REDIS_URL
export CKAN_STORAGE_PATH=$PARTNERSHIP_STORAGE
export CKAN_SMTP_SERVER=127.0.0.1:$PARTNERSHIP_SMTP_PORT
SITE_URL=http://127.0.0.1:$PARTNERSHIP_CKAN_PORT

if [ ! -f "$INI" ]; then
  echo "==> Writing $INI" >&2
  "$CKAN" generate config "$INI" >/dev/null
  # Site settings, written once: an admin may change them afterwards.
  "$CKAN" config-tool "$INI" \
    "ckanext.partnership.host_organization = region-sud" \
    "ckan.site_title = DataSud partenaires (démo)" \
    "ckan.site_description = Portail open data de la Région Sud et de ses partenaires" \
    "ckan.locale_default = fr" \
    "ckan.locales_offered = fr en" \
    "ckan.auth.create_user_via_web = true" \
    "ckan.max_resource_size = 100" \
    "ckan.devserver.threaded = true" >/dev/null
  "$CKAN" config-tool "$INI" -s logger_ckanext "level = INFO" >/dev/null
fi
# What the extension needs, rewritten at each run (a newer checkout may need
# more plugins or options than the demo.ini an earlier one wrote).
"$CKAN" config-tool "$INI" \
  "ckan.plugins = partnership scheming_datasets scheming_organizations dcat activity tracking" \
  "scheming.dataset_schemas = ckanext.partnership:schemas/dataset.yaml" \
  "scheming.dataset_fallback = false" \
  "scheming.organization_schemas = ckanext.partnership:schemas/organization.yaml" \
  "scheming.presets = ckanext.scheming:presets.json ckanext.dcat.schemas:presets.yaml" \
  "ckanext.dcat.rdf.profiles = euro_dcat_ap_2 euro_dcat_ap_scheming partnership" \
  "ckanext.dcat.resource.inherit.license = true" \
  "ckan.csrf_protection.ignore_extensions = false" \
  "ckanext.partnership.host_mailbox = opendata@region-sud.exemple.fr" \
  "ckanext.partnership.single_session = true" \
  "SESSION_TYPE = redis" \
  "PERMANENT_SESSION_LIFETIME = 604800" >/dev/null
# Connection settings, rewritten at each run so they follow the stack's ports.
"$CKAN" config-tool "$INI" \
  "sqlalchemy.url = $PARTNERSHIP_DB_URL" \
  "solr_url = $PARTNERSHIP_SOLR_URL" \
  "ckan.redis.url = $PARTNERSHIP_REDIS_URL" \
  "ckan.site_url = $SITE_URL" \
  "ckan.storage_path = $PARTNERSHIP_STORAGE" \
  "smtp.server = 127.0.0.1:$PARTNERSHIP_SMTP_PORT" \
  "smtp.starttls = false" \
  "smtp.mail_from = ne-pas-repondre@region-sud.exemple.fr" >/dev/null
mkdir -p "$PARTNERSHIP_STORAGE"

echo "==> Migrating the database" >&2
"$CKAN" -c "$INI" db upgrade >/dev/null
"$CKAN" -c "$INI" db upgrade -p activity >/dev/null
"$CKAN" -c "$INI" db upgrade -p partnership >/dev/null
# CKAN's own counting of visits and downloads, which the annual review reads.
"$CKAN" -c "$INI" db upgrade -p tracking >/dev/null
echo "==> Loading the demo content" >&2
"$CKAN" -c "$INI" partnership demo load > "$ROOT/.stack/demo/accounts.txt"
# Resources loaded before the checks existed get theirs (the worker runs them).
"$CKAN" -c "$INI" partnership check >/dev/null
grep -v '^ \|^Comptes' "$ROOT/.stack/demo/accounts.txt" >&2 || true
# Index what the index lacks (a fresh Solr core on an existing database).
"$CKAN" -c "$INI" search-index rebuild --only-missing --quiet >/dev/null 2>&1 \
  || "$CKAN" -c "$INI" search-index rebuild --only-missing >/dev/null
"$STACK" start-ckan demo
STATUS=$("$STACK" status demo)

cat <<MSG

  Le portail tourne / The portal is up:  $SITE_URL

$(grep -E '^ |^Comptes' "$ROOT/.stack/demo/accounts.txt")

  Web : Gunicorn, $(echo "$STATUS" | sed -n 's/^ckan .*(Gunicorn, \(.*\))$/\1/p')   Tâches / jobs : $(echo "$STATUS" | grep -c '^worker-.* running ') workers
  Courriels / mail : SMTP 127.0.0.1:$PARTNERSHIP_SMTP_PORT ($(echo "$STATUS" | sed -n 's/^mail  \([a-z]*\) .*/\1/p')), tous gardés / all kept in ${PARTNERSHIP_MAILDIR#"$ROOT"/}/
    lire / read : make mail   (N=10 make mail : les 10 derniers / the 10 latest)
  Échéances / scheduled work : ckan partnership notify ($(echo "$STATUS" | sed -n 's/^notify  \([a-z]*\) .*/\1/p')), toutes les / every ${PARTNERSHIP_NOTIFY_INTERVAL} s   (log : notify.log)
  Configuration : $INI   (.venv/bin/ckan -c demo.ini ...)
  Journaux / logs : .stack/demo/log/
  Arrêter / stop : make stop

MSG
