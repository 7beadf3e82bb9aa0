/* schema.c: the JSON Schema subset checker described in schema.h. */
#include "schema.h"

#include <math.h>
#include <regex.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define S_MAX_PATTERNS 64
#define S_WS " \t\n\r\f\v" /* what \s matches in the C locale */

struct schema {
  cJSON *root;
  const cJSON *defs;
  size_t npat;
  struct {
    char *src;    /* the pattern as the schema writes it */
    regex_t re;   /* compiled from its POSIX translation */
  } pat[S_MAX_PATTERNS];
};

/* Where the check is: a JSON Pointer built up as the walk descends. */
typedef struct walk {
  char path[1024];
  char *msg;        /* NULL: quiet (inside oneOf) */
  size_t msgsize;
} walk;

static int S_check(schema *s, const cJSON *sch, const cJSON *v, walk *w);

static int S_fail(walk *w, const char *fmt, ...) {
  va_list ap;
  int n;

  if (!w->msg)
    return 1;
  n = snprintf(w->msg, w->msgsize, "%s: ", w->path[0] ? w->path : "/");
  if (n >= 0 && (size_t)n < w->msgsize) {
    va_start(ap, fmt);
    vsnprintf(w->msg + n, w->msgsize - (size_t)n, fmt, ap);
    va_end(ap);
  }
  return 1;
}

/* ---- Patterns ------------------------------------------------------ */

static int S_put(char *out, size_t size, size_t *n, const char *s) {
  size_t len = strlen(s);

  if (*n + len + 1 > size)
    return -1;
  memcpy(out + *n, s, len + 1);
  *n += len;
  return 0;
}

static char S_escape_char(char c) {
  switch (c) {
  case 'r': return '\r';
  case 'n': return '\n';
  case 't': return '\t';
  case 'f': return '\f';
  case 'v': return '\v';
  default: return c;
  }
}

/*
** One bracket expression starting at p[0] == '['. POSIX brackets have no
** escapes, so literal ']' goes first, '-' last, and a \S member turns
** the set into its complement: "[ \r\n\t\S]" is every byte except the
** white space not listed, "[^\f\v]".
*/
static int S_bracket(const char **pp, char *out, size_t size, size_t *n) {
  const char *p = *pp + 1;
  char body[256], ws[8] = "";
  size_t b = 0;
  int neg = 0, nonspace = 0, dash = 0, rbracket = 0;

  if (*p == '^') {
    neg = 1;
    p++;
  }
  for (; *p && *p != ']'; p++) {
    char c = *p;

    if (c == '\\' && p[1]) {
      c = *++p;
      if (c == 'S') {
        nonspace = 1;
        continue;
      }
      if (c == 's') {
        if (b + 6 >= sizeof body)
          return -1;
        memcpy(body + b, S_WS, 6);
        b += 6;
        continue;
      }
      if (c == 'd') {
        if (b + 3 >= sizeof body)
          return -1;
        memcpy(body + b, "0-9", 3);
        b += 3;
        continue;
      }
      c = S_escape_char(c);
      if (c == '-') {
        dash = 1;
        continue;
      }
      if (c == ']') {
        rbracket = 1;
        continue;
      }
    }
    if (b + 1 >= sizeof body)
      return -1;
    body[b++] = c;
  }
  if (*p != ']')
    return -1;
  body[b] = '\0';
  *pp = p + 1;
  if (nonspace) {
    const char *c;
    size_t k = 0;

    if (neg || dash || rbracket)
      return -1;
    for (c = S_WS; *c; c++)
      if (!memchr(body, *c, b))
        ws[k++] = *c;
    ws[k] = '\0';
    if (k == 0)
      return S_put(out, size, n, "."); /* any byte but NUL */
    return S_put(out, size, n, "[^") || S_put(out, size, n, ws) ||
           S_put(out, size, n, "]");
  }
  return S_put(out, size, n, neg ? "[^" : "[") ||
         S_put(out, size, n, rbracket ? "]" : "") ||
         S_put(out, size, n, body) || S_put(out, size, n, dash ? "-" : "") ||
         S_put(out, size, n, "]");
}

int schema_pattern_to_ere(const char *pattern, char *out, size_t outsize) {
  const char *p = pattern;
  size_t n = 0;
  char one[3];

  if (outsize == 0)
    return -1;
  out[0] = '\0';
  while (*p) {
    if (*p == '[') {
      if (S_bracket(&p, out, outsize, &n))
        return -1;
      continue;
    }
    if (*p == '\\' && p[1]) {
      char c = p[1];

      p += 2;
      if (c == 'S') {
        if (S_put(out, outsize, &n, "[^" S_WS "]"))
          return -1;
      } else if (c == 's') {
        if (S_put(out, outsize, &n, "[" S_WS "]"))
          return -1;
      } else if (c == 'd') {
        if (S_put(out, outsize, &n, "[0-9]"))
          return -1;
      } else if (strchr(".[]()*+?{}|^$\\", c)) {
        one[0] = '\\';
        one[1] = c;
        one[2] = '\0';
        if (S_put(out, outsize, &n, one))
          return -1;
      } else if (strchr("rntfv-/=:", c)) {
        one[0] = S_escape_char(c);
        one[1] = '\0';
        if (S_put(out, outsize, &n, one))
          return -1;
      } else {
        return -1; /* \b, \w, back references...: not in the FHIR schema */
      }
      continue;
    }
    one[0] = *p++;
    one[1] = '\0';
    if (S_put(out, outsize, &n, one))
      return -1;
  }
  return 0;
}

/* The compiled pattern, compiled once; NULL if it cannot be translated. */
static const regex_t *S_regex(schema *s, const char *src) {
  char ere[1024];
  size_t i;

  for (i = 0; i < s->npat; i++)
    if (strcmp(s->pat[i].src, src) == 0)
      return &s->pat[i].re;
  if (s->npat == S_MAX_PATTERNS ||
      schema_pattern_to_ere(src, ere, sizeof ere) != 0)
    return NULL;
  if (regcomp(&s->pat[s->npat].re, ere, REG_EXTENDED | REG_NOSUB) != 0)
    return NULL;
  s->pat[s->npat].src = malloc(strlen(src) + 1);
  if (!s->pat[s->npat].src) {
    regfree(&s->pat[s->npat].re);
    return NULL;
  }
  strcpy(s->pat[s->npat].src, src);
  return &s->pat[s->npat++].re;
}

/* ---- Keywords ------------------------------------------------------ */

static int S_type_is(const char *t, const cJSON *v) {
  if (strcmp(t, "object") == 0)
    return cJSON_IsObject(v);
  if (strcmp(t, "array") == 0)
    return cJSON_IsArray(v);
  if (strcmp(t, "string") == 0)
    return cJSON_IsString(v);
  if (strcmp(t, "boolean") == 0)
    return cJSON_IsBool(v);
  if (strcmp(t, "null") == 0)
    return cJSON_IsNull(v);
  if (strcmp(t, "number") == 0)
    return cJSON_IsNumber(v);
  if (strcmp(t, "integer") == 0)
    return cJSON_IsNumber(v) && v->valuedouble == floor(v->valuedouble);
  return 0;
}

static int S_type(const cJSON *t, const cJSON *v, walk *w) {
  const cJSON *e;

  if (cJSON_IsString(t))
    return S_type_is(t->valuestring, v)
               ? 0
               : S_fail(w, "not of type %s", t->valuestring);
  cJSON_ArrayForEach(e, t) {
    if (cJSON_IsString(e) && S_type_is(e->valuestring, v))
      return 0;
  }
  return S_fail(w, "not of any of the listed types");
}

/* Descend into key or index: extend the path, check, restore it. */
static int S_child(schema *s, const cJSON *sch, const cJSON *v, walk *w,
                   const char *key, int index) {
  size_t len = strlen(w->path);
  int r;

  if (key)
    snprintf(w->path + len, sizeof w->path - len, "/%s", key);
  else
    snprintf(w->path + len, sizeof w->path - len, "/%d", index);
  r = S_check(s, sch, v, w);
  w->path[len] = '\0';
  return r;
}

static int S_object(schema *s, const cJSON *sch, const cJSON *v, walk *w) {
  const cJSON *props = cJSON_GetObjectItemCaseSensitive(sch, "properties");
  const cJSON *addl =
      cJSON_GetObjectItemCaseSensitive(sch, "additionalProperties");
  const cJSON *req = cJSON_GetObjectItemCaseSensitive(sch, "required");
  const cJSON *m;

  if (!cJSON_IsObject(v))
    return 0;
  cJSON_ArrayForEach(m, req) {
    if (!cJSON_IsString(m))
      return S_fail(w, "schema: required holds a non-string");
    if (!cJSON_GetObjectItemCaseSensitive(v, m->valuestring))
      return S_fail(w, "required property \"%s\" missing", m->valuestring);
  }
  cJSON_ArrayForEach(m, v) {
    const cJSON *ps = cJSON_GetObjectItemCaseSensitive(props, m->string);

    if (ps) {
      if (S_child(s, ps, m, w, m->string, 0))
        return 1;
    } else if (cJSON_IsFalse(addl)) {
      return S_fail(w, "property \"%s\" is not allowed", m->string);
    } else if (cJSON_IsObject(addl)) {
      if (S_child(s, addl, m, w, m->string, 0))
        return 1;
    }
  }
  return 0;
}

static int S_items(schema *s, const cJSON *items, const cJSON *v, walk *w) {
  const cJSON *e;
  int i = 0;

  if (!cJSON_IsArray(v))
    return 0;
  if (!cJSON_IsObject(items))
    return S_fail(w, "schema: only a single items schema is supported");
  cJSON_ArrayForEach(e, v) {
    if (S_child(s, items, e, w, NULL, i++))
      return 1;
  }
  return 0;
}

static const cJSON *S_resolve(schema *s, const char *ref) {
  static const char prefix[] = "#/definitions/";

  if (strncmp(ref, prefix, sizeof prefix - 1) != 0)
    return NULL;
  return cJSON_GetObjectItemCaseSensitive(s->defs, ref + sizeof prefix - 1);
}

/*
** Exactly one branch must match. On failure, the branch named after the
** instance's resourceType (FHIR's discriminator) gives the message.
*/
static int S_one_of(schema *s, const cJSON *branches, const cJSON *v,
                    walk *w) {
  walk quiet = *w;
  const cJSON *b, *rt = cJSON_GetObjectItemCaseSensitive(v, "resourceType");
  int matches = 0;

  quiet.msg = NULL;
  cJSON_ArrayForEach(b, branches) {
    if (S_check(s, b, v, &quiet) == 0)
      matches++;
  }
  if (matches == 1)
    return 0;
  if (matches == 0 && cJSON_IsString(rt)) {
    cJSON_ArrayForEach(b, branches) {
      const cJSON *ref = cJSON_GetObjectItemCaseSensitive(b, "$ref");
      const char *slash = cJSON_IsString(ref)
                              ? strrchr(ref->valuestring, '/')
                              : NULL;

      if (slash && strcmp(slash + 1, rt->valuestring) == 0)
        return S_check(s, b, v, w);
    }
  }
  return S_fail(w, "matches %d of the oneOf schemas, not exactly one",
                matches);
}

static int S_check(schema *s, const cJSON *sch, const cJSON *v, walk *w) {
  const cJSON *k;

  if (!cJSON_IsObject(sch))
    return S_fail(w, "schema: not an object");
  /* draft-06: beside $ref every other keyword is ignored. */
  k = cJSON_GetObjectItemCaseSensitive(sch, "$ref");
  if (k) {
    const cJSON *target =
        cJSON_IsString(k) ? S_resolve(s, k->valuestring) : NULL;

    if (!target)
      return S_fail(w, "schema: cannot resolve $ref");
    return S_check(s, target, v, w);
  }
  cJSON_ArrayForEach(k, sch) {
    const char *kw = k->string;

    if (strcmp(kw, "description") == 0 || strcmp(kw, "$schema") == 0 ||
        strcmp(kw, "id") == 0 || strcmp(kw, "discriminator") == 0 ||
        strcmp(kw, "definitions") == 0 ||
        strcmp(kw, "additionalProperties") == 0 ||
        strcmp(kw, "required") == 0) {
      continue; /* annotations, or handled with "properties" */
    } else if (strcmp(kw, "type") == 0) {
      if (S_type(k, v, w))
        return 1;
    } else if (strcmp(kw, "properties") == 0) {
      if (S_object(s, sch, v, w))
        return 1;
    } else if (strcmp(kw, "items") == 0) {
      if (S_items(s, k, v, w))
        return 1;
    } else if (strcmp(kw, "enum") == 0) {
      const cJSON *e;
      int found = 0;

      cJSON_ArrayForEach(e, k) {
        if (cJSON_Compare(e, v, 1))
          found = 1;
      }
      if (!found)
        return S_fail(w, "not one of the enum values");
    } else if (strcmp(kw, "const") == 0) {
      if (!cJSON_Compare(k, v, 1))
        return S_fail(w, "not the const value");
    } else if (strcmp(kw, "pattern") == 0) {
      const regex_t *re;

      if (!cJSON_IsString(v)) /* pattern applies to strings only */
        continue;
      re = cJSON_IsString(k) ? S_regex(s, k->valuestring) : NULL;
      if (!re)
        return S_fail(w, "schema: cannot translate pattern");
      if (regexec(re, v->valuestring, 0, NULL, 0) != 0)
        return S_fail(w, "\"%s\" does not match %s", v->valuestring,
                      k->valuestring);
    } else if (strcmp(kw, "oneOf") == 0) {
      if (S_one_of(s, k, v, w))
        return 1;
    } else {
      return S_fail(w, "schema: unsupported keyword %s", kw);
    }
  }
  /* required/additionalProperties without properties */
  if (!cJSON_GetObjectItemCaseSensitive(sch, "properties") &&
      (cJSON_GetObjectItemCaseSensitive(sch, "required") ||
       cJSON_GetObjectItemCaseSensitive(sch, "additionalProperties")))
    return S_object(s, sch, v, w);
  return 0;
}

/* ---- API ----------------------------------------------------------- */

schema *schema_load(const char *path, char *err, size_t errsize) {
  FILE *f = fopen(path, "rb");
  char *text = NULL;
  long len;
  schema *s = NULL;

  if (!f) {
    snprintf(err, errsize, "%s: cannot open", path);
    return NULL;
  }
  if (fseek(f, 0, SEEK_END) != 0 || (len = ftell(f)) < 0 ||
      fseek(f, 0, SEEK_SET) != 0 || !(text = malloc((size_t)len + 1)) ||
      fread(text, 1, (size_t)len, f) != (size_t)len) {
    snprintf(err, errsize, "%s: cannot read", path);
    goto out;
  }
  text[len] = '\0';
  s = calloc(1, sizeof *s);
  if (!s || !(s->root = cJSON_ParseWithLength(text, (size_t)len))) {
    snprintf(err, errsize, "%s: not JSON", path);
    free(s);
    s = NULL;
    goto out;
  }
  s->defs = cJSON_GetObjectItemCaseSensitive(s->root, "definitions");
  if (!cJSON_IsObject(s->defs)) {
    snprintf(err, errsize, "%s: no definitions", path);
    schema_free(s);
    s = NULL;
  }
out:
  free(text);
  fclose(f);
  return s;
}

void schema_free(schema *s) {
  size_t i;

  if (!s)
    return;
  for (i = 0; i < s->npat; i++) {
    regfree(&s->pat[i].re);
    free(s->pat[i].src);
  }
  cJSON_Delete(s->root);
  free(s);
}

int schema_check(schema *s, const char *def, const cJSON *instance,
                 char *msg, size_t msgsize) {
  walk w;
  const cJSON *sch = cJSON_GetObjectItemCaseSensitive(s->defs, def);

  w.path[0] = '\0';
  w.msg = msg;
  w.msgsize = msgsize;
  if (msgsize)
    msg[0] = '\0';
  if (!sch)
    return S_fail(&w, "schema: no definition %s", def);
  return S_check(s, sch, instance, &w);
}
