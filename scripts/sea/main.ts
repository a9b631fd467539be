/**
 * Entry of the single executable: unpack the dashboard (first import, so it runs before the
 * server reads its config), then run the `hearth` CLI exactly as the npm build does.
 */
import './unpack-dashboard.ts';
import '../../cli/bin/hearth.js';
