/*
 * copy_text.c -- see copy_text.h.
 */
#include "store/copy_text.h"

static void
copy_text_escape (GString *out, const char *text)
{
  for (const char *p = text; *p != '\0'; p++)
    switch (*p)
      {
      case '\\': g_string_append (out, "\\\\"); break;
      case '\t': g_string_append (out, "\\t"); break;
      case '\n': g_string_append (out, "\\n"); break;
      case '\r': g_string_append (out, "\\r"); break;
      default: g_string_append_c (out, *p); break;
      }
}

void
copy_text_append (GString *row, const char *text)
{
  if (text == NULL)
    g_string_append (row, "\\N");
  else
    copy_text_escape (row, text);
}

void
copy_text_append_int (GString *row, gint64 value)
{
  g_string_append_printf (row, "%" G_GINT64_FORMAT, value);
}

static void
array_literal_append (GString *lit, GPtrArray *array, CopyTextGetFunc get)
{
  g_string_append_c (lit, '{');
  for (guint i = 0; array != NULL && i < array->len; i++)
    {
      const char *elem = get (array, i);
      if (i > 0)
        g_string_append_c (lit, ',');
      if (elem == NULL)
        {
          g_string_append (lit, "NULL");
          continue;
        }
      g_string_append_c (lit, '"');
      for (const char *p = elem; *p != '\0'; p++)
        {
          if (*p == '"' || *p == '\\')
            g_string_append_c (lit, '\\');
          g_string_append_c (lit, *p);
        }
      g_string_append_c (lit, '"');
    }
  g_string_append_c (lit, '}');
}

void
copy_text_append_array (GString *row, GPtrArray *array, CopyTextGetFunc get)
{
  g_autoptr (GString) lit = g_string_new (NULL);
  array_literal_append (lit, array, get);
  copy_text_escape (row, lit->str);
}

static const char *
get_string (GPtrArray *array, guint i)
{
  return g_ptr_array_index (array, i);
}

char *
copy_text_array_literal (GPtrArray *strings)
{
  GString *lit = g_string_new (NULL);
  array_literal_append (lit, strings, get_string);
  return g_string_free (lit, FALSE);
}
