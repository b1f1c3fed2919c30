/*
 * maildir.c -- see maildir.h.
 */
#include "ingest/maildir.h"
#include "core/error.h"

#include <errno.h>
#include <fcntl.h>
#include <glib/gstdio.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static const char *const folder_names[] = {
  [MAILDIR_PROCESSED] = ".Processed",
  [MAILDIR_FAILED] = ".Failed",
};

static gboolean
maildir_mkdir (const char *path, GError **error)
{
  if (g_mkdir_with_parents (path, 0700) == 0)
    return TRUE;
  int saved = errno;
  g_set_error (error, DMARCSTAT_ERROR, DMARCSTAT_ERROR_IO,
               "cannot create %s: %s", path, g_strerror (saved));
  return FALSE;
}

/* A Maildir++ subfolder: cur, new, tmp and the maildirfolder marker. */
static gboolean
maildir_prepare_folder (const char *dir, const char *name, GError **error)
{
  const char *subdirs[] = { "cur", "new", "tmp" };
  for (gsize i = 0; i < G_N_ELEMENTS (subdirs); i++)
    {
      g_autofree char *path = g_build_filename (dir, name, subdirs[i], NULL);
      if (!maildir_mkdir (path, error))
        return FALSE;
    }
  g_autofree char *marker = g_build_filename (dir, name, "maildirfolder", NULL);
  int fd = open (marker, O_WRONLY | O_CREAT | O_CLOEXEC, 0600);
  if (fd >= 0)
    close (fd);
  return TRUE;
}

gboolean
maildir_prepare (const char *dir, GError **error)
{
  const char *required[] = { "new", "cur" };
  for (gsize i = 0; i < G_N_ELEMENTS (required); i++)
    {
      g_autofree char *path = g_build_filename (dir, required[i], NULL);
      if (!g_file_test (path, G_FILE_TEST_IS_DIR))
        {
          g_set_error (error, DMARCSTAT_ERROR, DMARCSTAT_ERROR_USAGE,
                       "%s is not a maildir (no %s/)", dir, required[i]);
          return FALSE;
        }
    }
  g_autofree char *tmp = g_build_filename (dir, "tmp", NULL);
  return maildir_mkdir (tmp, error)
         && maildir_prepare_folder (dir, folder_names[MAILDIR_PROCESSED], error)
         && maildir_prepare_folder (dir, folder_names[MAILDIR_FAILED], error);
}

static gint
compare_paths (gconstpointer a, gconstpointer b)
{
  g_autofree char *na = g_path_get_basename (*(const char *const *) a);
  g_autofree char *nb = g_path_get_basename (*(const char *const *) b);
  return strcmp (na, nb);
}

static gboolean
maildir_list_sub (const char *dir, const char *sub, GPtrArray *out, GError **error)
{
  g_autofree char *path = g_build_filename (dir, sub, NULL);
  g_autoptr (GDir) d = g_dir_open (path, 0, error);
  if (d == NULL)
    return FALSE;
  const char *name;
  while ((name = g_dir_read_name (d)) != NULL)
    {
      if (name[0] == '.')
        continue;
      char *file = g_build_filename (path, name, NULL);
      if (g_file_test (file, G_FILE_TEST_IS_REGULAR))
        g_ptr_array_add (out, file);
      else
        g_free (file);
    }
  return TRUE;
}

GPtrArray *
maildir_list (const char *dir, GError **error)
{
  g_autoptr (GPtrArray) out = g_ptr_array_new_with_free_func (g_free);
  if (!maildir_list_sub (dir, "new", out, error) || !maildir_list_sub (dir, "cur", out, error))
    return NULL;
  /* Maildir names start with the delivery time: oldest first. */
  g_ptr_array_sort (out, compare_paths);
  return g_steal_pointer (&out);
}

char *
maildir_target_path (const char *dir, const char *path, MaildirFolder folder)
{
  g_autofree char *name = g_path_get_basename (path);
  /* Files in cur/ carry an info suffix; one from new/ gets an empty one. */
  g_autofree char *cur_name = strstr (name, ":2,") ? g_strdup (name)
                                                    : g_strconcat (name, ":2,", NULL);
  return g_build_filename (dir, folder_names[folder], "cur", cur_name, NULL);
}

char *
maildir_move (const char *dir, const char *path, MaildirFolder folder, GError **error)
{
  g_autofree char *target = maildir_target_path (dir, path, folder);

  if (g_file_test (target, G_FILE_TEST_EXISTS))
    {
      /* Never overwrite a filed mail: keep both. */
      g_autofree char *base = g_steal_pointer (&target);
      for (int i = 1; target == NULL || g_file_test (target, G_FILE_TEST_EXISTS); i++)
        {
          g_free (target);
          target = g_strdup_printf ("%s.%d", base, i);
        }
    }
  if (g_rename (path, target) != 0)
    {
      int saved = errno;
      if (saved == ENOENT && !g_file_test (path, G_FILE_TEST_EXISTS))
        return g_steal_pointer (&target);   /* filed by a concurrent daemon */
      g_set_error (error, DMARCSTAT_ERROR, DMARCSTAT_ERROR_IO,
                   "cannot move to %s: %s", target, g_strerror (saved));
      return NULL;
    }
  return g_steal_pointer (&target);
}
