import type { InferAttributes, InferCreationAttributes, Model } from 'sequelize';

/** A row type for `sequelize.define<…>`: the attributes plus the instance methods (save, update, destroy). */
export type Row<T extends object> = Model<InferAttributes<T & Model>, InferCreationAttributes<T & Model>> & T;
