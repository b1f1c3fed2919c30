/*
 * maildir.h -- finding report mails in a maildir and filing them away.
 *
 * Mails are read from DIR/new and DIR/cur (never DIR/tmp, where delivery is
 * still writing).  After its transaction has committed, a mail moves to the
 * Maildir++ subfolder DIR/.Processed/cur, or DIR/.Failed/cur when it held no
 * valid report, so IMAP clients still see it.  Nothing is ever deleted.
 */
#ifndef DMARCSTAT_MAILDIR_H
#define DMARCSTAT_MAILDIR_H

#include <glib.h>

typedef enum
{
  MAILDIR_PROCESSED,
  MAILDIR_FAILED,
} MaildirFolder;

/* Checks that DIR is a maildir (has new/ and cur/; tmp/ is created when
 * missing) and creates the .Processed and .Failed subfolders. */
gboolean maildir_prepare (const char *dir, GError **error);

/* Paths of the mails waiting in DIR/new and DIR/cur, oldest name first.
 * (transfer full) */
GPtrArray *maildir_list (const char *dir, GError **error);

/* Where PATH will be once filed into FOLDER. (transfer full) */
char *maildir_target_path (const char *dir, const char *path, MaildirFolder folder);

/* Renames PATH to maildir_target_path().  A mail that is already gone (a
 * concurrent daemon filed it) is no error.  (transfer full) new path or NULL */
char *maildir_move (const char *dir, const char *path, MaildirFolder folder,
                    GError **error);

#endif
