/*
 * check_run.c -- see check_run.h.
 */
#include "cli/check_run.h"
#include "check/check_domain.h"
#include "dns/names.h"
#include "store/dns_store.h"

#include <string.h>

/* How far back the reports are read for selectors and senders. */
#define INPUT_DAYS 30
#define MAX_SENDERS 50

static void
add_unique (GPtrArray *list, const char *value)
{
  if (value == NULL || *value == '\0')
    return;
  for (guint i = 0; i < list->len; i++)
    if (g_ascii_strcasecmp (g_ptr_array_index (list, i), value) == 0)
      return;
  g_ptr_array_add (list, g_ascii_strdown (value, -1));
}

static void
read_inputs (Store *store, const char *domain, GPtrArray *selectors, GPtrArray *ips,
             GPtrArray *labels)
{
  g_autoptr (GError) error = NULL;

  g_autoptr (StoreTable) sel = store_check_selectors (store, domain, INPUT_DAYS, &error);
  if (sel == NULL)
    {
      g_warning ("check %s: %s", domain, error->message);
      return;
    }
  for (guint i = 0; i < store_table_n_rows (sel); i++)
    add_unique (selectors, store_table_get (sel, i, "selector"));

  g_autoptr (StoreTable) senders = store_check_senders (store, domain, INPUT_DAYS, MAX_SENDERS,
                                                        &error);
  if (senders == NULL)
    {
      g_warning ("check %s: %s", domain, error->message);
      return;
    }
  for (guint i = 0; i < store_table_n_rows (senders); i++)
    {
      guint before = ips->len;
      add_unique (ips, store_table_get (senders, i, "ip"));
      if (ips->len > before)
        g_ptr_array_add (labels, g_strdup (store_table_get (senders, i, "label")));
    }
}

static void
save_findings (Store *store, const char *domain, const FindingList *list)
{
  g_autoptr (GError) error = NULL;
  g_autofree StoreFinding *rows = g_new0 (StoreFinding, list->items->len + 1);

  for (guint i = 0; i < list->items->len; i++)
    {
      const Finding *f = g_ptr_array_index (list->items, i);
      rows[i] = (StoreFinding) { f->code, severity_name (f->severity), f->subject, f->message,
                                 f->fix, f->record };
    }
  /* Findings quote DNS text, which may be any bytes; the database wants
   * UTF-8. */
  g_autoptr (GPtrArray) keep = g_ptr_array_new_with_free_func (g_free);
  for (guint i = 0; i < list->items->len; i++)
    {
#define VALID(field) \
      if (rows[i].field != NULL && !g_utf8_validate (rows[i].field, -1, NULL)) \
        { char *v = g_utf8_make_valid (rows[i].field, -1); g_ptr_array_add (keep, v); rows[i].field = v; }
      VALID (subject) VALID (message) VALID (fix) VALID (record)
#undef VALID
    }
  if (store_check_save (store, domain, severity_name (finding_list_worst (list)),
                        list->items->len, rows, &error) == 0)
    g_warning ("check %s: %s", domain, error->message);
}

FindingList *
check_run_domain (DnsResolver *resolver, Store *store, const char *domain,
                  const CheckRunOptions *options)
{
  g_autofree char *name = g_ascii_strdown (domain, -1);
  g_autoptr (GPtrArray) selectors = g_ptr_array_new_with_free_func (g_free);
  g_autoptr (GPtrArray) ips = g_ptr_array_new_with_free_func (g_free);
  g_autoptr (GPtrArray) labels = g_ptr_array_new_with_free_func (g_free);

  if (options != NULL && options->selectors != NULL)
    for (gsize i = 0; options->selectors[i] != NULL; i++)
      add_unique (selectors, options->selectors[i]);
  if (options != NULL && options->sources != NULL)
    for (gsize i = 0; options->sources[i] != NULL; i++)
      {
        guint before = ips->len;
        add_unique (ips, options->sources[i]);
        if (ips->len > before)
          g_ptr_array_add (labels, NULL);
      }
  if (store != NULL)
    read_inputs (store, name, selectors, ips, labels);
  g_ptr_array_add (selectors, NULL);
  g_ptr_array_add (ips, NULL);
  g_ptr_array_add (labels, NULL);

  g_autofree char *org = dns_org_domain (name);
  CheckDomainInput input = {
    .domain = name,
    .org_domain = org,
    .org_domain_of = dns_org_domain,
    .name_is_generic = dns_name_is_generic,
    .dkim_selectors = (const char *const *) selectors->pdata,
    .sending_ips = (const char *const *) ips->pdata,
    .sending_labels = (const char *const *) labels->pdata,
  };
  FindingList *list = check_domain (resolver, &input);
  if (store != NULL && (options == NULL || options->save))
    save_findings (store, name, list);
  return list;
}

gint64
check_run_due (DnsResolver *resolver, Store *store, guint interval_seconds, guint limit,
               GError **error)
{
  g_autoptr (StoreTable) due = store_check_due (store, interval_seconds, limit, error);
  if (due == NULL)
    return -1;
  CheckRunOptions options = { .save = TRUE };
  for (guint i = 0; i < store_table_n_rows (due); i++)
    {
      g_autoptr (FindingList) list = check_run_domain (resolver, store,
                                                       store_table_get (due, i, "domain"),
                                                       &options);
    }
  return store_table_n_rows (due);
}
