/* datafiles.h: data files embedded in the program as C strings.
 *
 * The definitions are generated at build time from data/ by
 * build-aux/embed-data.sh (one NUL-terminated string per file, the file's
 * bytes unchanged); the core reads them instead of opening files, so the
 * program needs no installed data to run, and a new era or code is a change
 * of data, not of code. */
#ifndef MD_DATAFILES_H
#define MD_DATAFILES_H

extern const char md_data_eras_tsv[];
extern const char md_data_relationships_tsv[];
extern const char md_data_reasons_tsv[];
extern const char md_data_districts_tsv[];
extern const char md_data_nationalities_tsv[];
extern const char md_data_residence_status_tsv[];
extern const char md_data_surnames_tsv[];
extern const char md_data_given_names_male_tsv[];
extern const char md_data_given_names_female_tsv[];
extern const char md_data_foreign_names_tsv[];
extern const char md_data_population_tsv[];
extern const char md_data_households_tsv[];
extern const char md_data_documents_tsv[];
extern const char md_data_fees_tsv[];
extern const char md_data_juminhyo_tsv[];
extern const char md_data_kisai_tsv[];
extern const char md_data_inkan_tsv[];
extern const char md_data_code_notice_tsv[];
extern const char md_data_letter_tsv[];
extern const char md_data_holidays_tsv[];

#endif
