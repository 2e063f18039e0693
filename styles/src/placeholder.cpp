// Placeholder until the module's first source lands; removed then.
