/* rs_lock.h — one writer per folder, and jobs that do not outlive their
 * runner (rs_lock.c). */
#ifndef RS_LOCK_H
#define RS_LOCK_H

/* lock a folder against a second rsoup writer (flock on the folder, dropped
 * when the process exits, kill -9 included): a descriptor kept open until
 * exit, or -1 with the error set ("... is in use by another rsoup process") */
int rs_lock_dir(const char *dir);
/* the lock an experiment runner shares with its jobs: the file dir/.jobs.lock,
 * locked and left open across exec, so that the jobs hold it as long as any
 * of them runs. A runner killed with kill -9 leaves jobs that are still
 * saving; the next runner waits here until they are gone (on_wait, when not
 * NULL, is told once before it waits), then sweeps what they left half
 * written. The descriptor (kept until exit), or -1 with the error set */
int rs_lock_jobs(const char *dir, void (*on_wait)(const char *dir));
/* remove the temporary files (NAME.tmp.PID, NAME starting with prefix when
 * prefix is not NULL) that writers no longer running left in dir; the count */
int rs_lock_sweep_tmp(const char *dir, const char *prefix);
/* the experiment runner marks its environment before starting jobs; a job
 * started so gets SIGTERM (save and stop) when its runner dies, even by
 * kill -9, instead of writing on as an orphan */
void rs_lock_mark_runner(void);
void rs_lock_follow_runner(void); /* call early in main, once */

#endif
