// Firestore and Auth for the migration's own reads and writes, the same instances the functions' modules
// it reuses work with. Not imported from functions/src/firebase.ts: under tsx that file, imported directly
// from here, loads as a second copy of the module (functions/ is CommonJS to Node, scripts/ are ES
// modules), whose first db() would call settings() on the Firestore instance the first copy already set
// up, which Firestore refuses. The project store's collection carries the configured instance.
import { getAuth } from 'firebase-admin/auth';
import { projectsCol } from '../../functions/src/projects/store.js';

export const firestore = () => projectsCol().firestore;
/** The default app's Auth (scripts/migrate/target.ts made the default app for the target project). */
export const firebaseAuth = () => getAuth();
