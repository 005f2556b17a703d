/* lang.c: UI language. Japanese under a Japanese locale, English otherwise;
 * [ui] language = ja | en overrides through LANGUAGE, which gettext reads
 * before LC_MESSAGES. */
#include "config.h"

#include <langinfo.h>
#include <locale.h>
#include <stdlib.h>
#include <string.h>

#include "i18n.h"
#include "lang.h"

#ifndef LOCALEDIR
#define LOCALEDIR "/usr/local/share/locale"
#endif

static const char *locale_dir(void)
{
	/* Tests and the uninstalled program use the build tree's catalogs. */
	const char *d = getenv("MADOGUCHI_LOCALEDIR");
	return d && *d ? d : LOCALEDIR;
}

void lang_init(void)
{
	setlocale(LC_ALL, "");
#ifdef ENABLE_NLS
	bindtextdomain(PACKAGE, locale_dir());
	bind_textdomain_codeset(PACKAGE, "UTF-8");
	textdomain(PACKAGE);
#endif
}

void lang_apply(enum md_lang lang)
{
	if (lang == MD_LANG_JA)
		setenv("LANGUAGE", "ja", 1);
	else if (lang == MD_LANG_EN)
		setenv("LANGUAGE", "en", 1);
	else
		return;
#ifdef ENABLE_NLS
	/* Make gettext notice the change. */
	textdomain(PACKAGE);
#endif
}

int lang_locale_is_utf8(void)
{
	const char *cs = nl_langinfo(CODESET);
	return cs && (strcmp(cs, "UTF-8") == 0 || strcmp(cs, "utf8") == 0);
}

int lang_is_japanese(void)
{
	/* TRANSLATORS: the language code of this translation. */
	return strcmp(_("en"), "ja") == 0;
}
