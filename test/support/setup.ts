// Loaded by mocha before every suite (see .mocharc.json).
import chai from 'chai';

chai.config.truncateThreshold = 0;
process.env.NODE_ENV = 'test';
if (!process.env.LOG_LEVEL) process.env.LOG_LEVEL = 'warn';
