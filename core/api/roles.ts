// The role sets of the method table (issue #13). Every role reads; writes go to the roles whose work
// they are: annotators label and paint, reviewers also curate classes and adjudicate, researchers import
// data, train and handle models, admins may do everything and manage accounts.

export const EVERYONE = ['annotator', 'reviewer', 'researcher', 'admin'] as const;
export const LABELERS = ['annotator', 'reviewer', 'admin'] as const;
export const CURATORS = ['reviewer', 'admin'] as const;
export const MODEL_USERS = ['reviewer', 'researcher', 'admin'] as const;
export const RESEARCHERS = ['researcher', 'admin'] as const;
export const ADMINS = ['admin'] as const;
