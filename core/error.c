/*
 * error.c -- the table behind error.h: code -> stage, exit status, transient.
 *
 * One table, as Postfix's cleanup_stat_detail(): adding a code means adding
 * one row here, and the compiler checks that every code has one.
 */
#include "core/error.h"

G_DEFINE_QUARK (dmarcstat-error-quark, dmarcstat_error)

typedef struct
{
  Stage stage;
  int exit_status;
  gboolean is_transient;
} ErrorInfo;

static const ErrorInfo error_table[DMARCSTAT_ERROR_N_CODES] = {
  [DMARCSTAT_ERROR_USAGE] = { STAGE_NONE, EXIT_USAGE, FALSE },
  [DMARCSTAT_ERROR_IO] = { STAGE_MAIL, EXIT_REJECTED, FALSE },

  [DMARCSTAT_ERROR_MAIL_TOO_LARGE] = { STAGE_MAIL, EXIT_REJECTED, FALSE },
  [DMARCSTAT_ERROR_MAIL_PARSE] = { STAGE_MAIL, EXIT_REJECTED, FALSE },
  [DMARCSTAT_ERROR_MAIL_NO_REPORT] = { STAGE_MAIL, EXIT_REJECTED, FALSE },
  [DMARCSTAT_ERROR_MAIL_LIMIT] = { STAGE_MAIL, EXIT_REJECTED, FALSE },

  [DMARCSTAT_ERROR_UNPACK_CORRUPT] = { STAGE_UNPACK, EXIT_REJECTED, FALSE },
  [DMARCSTAT_ERROR_UNPACK_TOO_LARGE] = { STAGE_UNPACK, EXIT_REJECTED, FALSE },
  [DMARCSTAT_ERROR_UNPACK_RATIO] = { STAGE_UNPACK, EXIT_REJECTED, FALSE },
  [DMARCSTAT_ERROR_UNPACK_ENTRIES] = { STAGE_UNPACK, EXIT_REJECTED, FALSE },
  [DMARCSTAT_ERROR_UNPACK_ENCRYPTED] = { STAGE_UNPACK, EXIT_REJECTED, FALSE },
  [DMARCSTAT_ERROR_UNPACK_FORMAT] = { STAGE_UNPACK, EXIT_REJECTED, FALSE },
  [DMARCSTAT_ERROR_UNPACK_EMPTY] = { STAGE_UNPACK, EXIT_REJECTED, FALSE },

  [DMARCSTAT_ERROR_XML_MALFORMED] = { STAGE_XML, EXIT_REJECTED, FALSE },
  [DMARCSTAT_ERROR_XML_FORBIDDEN] = { STAGE_XML, EXIT_REJECTED, FALSE },
  [DMARCSTAT_ERROR_XML_LIMIT] = { STAGE_XML, EXIT_REJECTED, FALSE },
  [DMARCSTAT_ERROR_XML_NOT_REPORT] = { STAGE_XML, EXIT_REJECTED, FALSE },
  [DMARCSTAT_ERROR_XML_INVALID] = { STAGE_XML, EXIT_REJECTED, FALSE },

  [DMARCSTAT_ERROR_STORE_UNAVAILABLE] = { STAGE_STORE, EXIT_DB, TRUE },
  [DMARCSTAT_ERROR_STORE_TRANSIENT] = { STAGE_STORE, EXIT_DB, TRUE },
  [DMARCSTAT_ERROR_STORE_FAILED] = { STAGE_STORE, EXIT_REJECTED, FALSE },
  [DMARCSTAT_ERROR_STORE_SCHEMA] = { STAGE_STORE, EXIT_DB, FALSE },

  [DMARCSTAT_ERROR_WORKER_CRASHED] = { STAGE_NONE, EXIT_REJECTED, FALSE },
};

static const ErrorInfo *
error_info (const GError *error)
{
  if (error == NULL || error->domain != DMARCSTAT_ERROR
      || error->code < 0 || error->code >= DMARCSTAT_ERROR_N_CODES)
    return NULL;
  return &error_table[error->code];
}

Stage
error_stage (const GError *error)
{
  const ErrorInfo *info = error_info (error);
  return info ? info->stage : STAGE_NONE;
}

const char *
error_stage_name (Stage stage)
{
  switch (stage)
    {
    case STAGE_MAIL: return "mail";
    case STAGE_UNPACK: return "unpack";
    case STAGE_XML: return "xml";
    case STAGE_STORE: return "store";
    case STAGE_NONE: break;
    }
  return "";
}

int
error_exit_status (const GError *error)
{
  const ErrorInfo *info = error_info (error);
  /* Errors from other domains (GIO, GKeyFile) surface at the top level only
   * for local problems: treat them as a rejected input. */
  return info ? info->exit_status : EXIT_REJECTED;
}

gboolean
error_is_transient (const GError *error)
{
  const ErrorInfo *info = error_info (error);
  return info ? info->is_transient : FALSE;
}
