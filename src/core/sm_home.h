/*
 * sm_home.h -- where an installation keeps its shared files (fonts/,
 * templates/, data/), found from where the code runs, never from the
 * path of the tree it was built in.
 *
 * Looked for, first with a fonts/ folder wins: next to the shared library
 * or executable holding this code (BIN/../share/safemeta: an installation;
 * BIN/..: a build folder inside the source tree, build/safemeta), then the
 * installation folder it was configured for (SM_INSTALL_DATADIR).
 *
 * Ownership: sm_home_find() returns a newly allocated path or NULL.
 */
#ifndef SM_HOME_H
#define SM_HOME_H

char *sm_home_find(void);

#endif
