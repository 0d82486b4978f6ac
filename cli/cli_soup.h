/* cli_soup.h — the soup-side subcommands: mixing checkpoints, scoring fronts,
 * picking a trade-off. Registered in main.c's command table. */
#ifndef RS_CLI_SOUP_H
#define RS_CLI_SOUP_H

#include <cjson/cJSON.h>

#include "rs_frontfile.h"
#include "rs_rewardset.h"
#include "rs_lab.h"
#include "rs_safetensors.h"

int cmd_soup(int argc, char **argv);   /* rsoup soup A B [C ...] --lambda L --out FILE */
int cmd_pareto(int argc, char **argv); /* rsoup pareto FILE: non-dominated set, HV, EUM */
int cmd_select(int argc, char **argv); /* rsoup select FILE --weights w: best row */

/* soup and front: one warning line on stderr when the experts' recorded
 * inits differ (the hash of their `init`, or their seeds when trained from
 * scratch); 1 when it warned (soup_inits.c) */
int rs_cli_warn_inits(const char *cmd, rs_st *const *ex, const char *const *paths, int n);

/* ---- helpers shared by pareto and select (cmd_pareto.c) ---- */

/* Load a front or plain CSV; prints the error ("rsoup CMD: ...") and returns
 * NULL on failure, warns on stderr about a dropped partial last row. */
rs_front *rs_cli_front_load(const char *cmd, const char *path, int *truncated_tail);
/* Fronts given together count one seed each: the same file twice, or two
 * copies of its bytes, would count one seed twice. 0, or -1 with
 * "rsoup CMD: ..." printed. */
int rs_cli_fronts_distinct(const char *cmd, const char *const *paths, int n);
/* Parse "x,y,z" into the caller's out[max]; returns the count (which may
 * exceed max: nothing past max is stored), or -1 when a value is not a finite
 * number (*bad gets the offending text's offset). */
int rs_cli_numbers(const char *text, double *out, int max, int *bad);
/* "a, b, c" into buf */
const char *rs_cli_join(char *buf, size_t cap, char *const *names, int n);

/* ---- what front and lmc start from (front_experts.c) ---- */

/* proxy rewards: --rewards as a reward set (soup/rs_rewardset.h; --names
 * are given to it with rs_rewardset_name), with rs_cli_reward's warning on
 * a paid cost;
 * 0 or -1 with the error set */
int rs_cli_rewards_parse(const rs_env_spec *s, const char *text, rs_rewardset *o);
/* the experts' own training rewards, without repeats; 0 or -1 */
int rs_cli_rewards_of_experts(const rs_env_spec *s, rs_st *const *ex, int n, rs_rewardset *o);
/* load the experts at paths into ex[n] (the caller frees them, also on
 * failure), check that they mix and find their env; -1 with "rsoup CMD: ..."
 * printed */
int rs_cli_load_experts(const char *cmd, const char *const *paths, int n, rs_st **ex,
                        const rs_env_spec **spec);
#endif
