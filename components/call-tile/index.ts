export * from './call-tile.js';
