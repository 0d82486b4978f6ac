/* rs_experiment_folder.h — an experiment's folder (--out) before its jobs
 * run: whether it may be written (never inside another experiment's or a
 * job's folder, nor one a running rsoup writes), and its preparation (made,
 * locked for one runner, marked as an experiment's, the replicates' folders
 * and the trainings' config files written), and what the dry run says of
 * each job. The job graph and the runner are rs_experiment.h's. */
#ifndef RS_EXPERIMENT_FOLDER_H
#define RS_EXPERIMENT_FOLDER_H

#include "rs_experiment.h"

/* what marks a folder as an experiment's (written by its runner) */
#define RS_EXP_MARKER ".experiment"

/* An experiment never writes inside another experiment's folder or a job's
 * folder, nor inside one a running rsoup process writes: its jobs would
 * train into the other's (a second runner on o/seed_1 while o runs), both
 * would "succeed", and the folders would hold a mix. Nor may one of its own
 * replicate or job folders be another experiment's. 0, or -1 with the
 * error naming the folder and what it is. */
int rs_exp_check_place(const char *out, const rs_job_graph *g);

/* Make out, take its runner lock and wait for the jobs of a killed runner
 * (on_wait is called once before waiting; may be NULL), mark it as c's
 * experiment, make the replicates' folders and write the trainings'
 * ppo.json and ppo_finetune.json. 0, or -1 (error set, naming the path). */
int rs_exp_prepare(const rs_exp_config *c, const char *out, const rs_job_graph *g,
                   void (*on_wait)(const char *dir));

/* what a run would do with job j: "up to date", "resume" or "run" */
const char *rs_exp_job_state(const rs_job_graph *g, const rs_job *j);

#endif
