/**
 * Entry of the npm production bundle: serve the dashboard copied beside the bundle
 * (dist/dashboard) unless HEARTH_DASHBOARD_DIR says otherwise, then run the `hearth` CLI.
 */
import './bundle-dashboard.ts';
import '../cli/bin/hearth.js';
