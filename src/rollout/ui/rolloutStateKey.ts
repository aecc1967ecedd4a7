// Where a rollout in progress is saved in the workspace state (a reloaded window resumes or rolls
// it back). Apart from the controller so that activation can look without loading the feature.
export const rolloutStateKey = 'fnMesh.rollout';
