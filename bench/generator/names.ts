/** Small tables of realistic names and places for synthetic people and sites. */

export const maleGivenNames = [
  'James', 'Robert', 'John', 'Michael', 'David', 'William', 'Richard', 'Joseph', 'Thomas', 'Charles',
  'Christopher', 'Daniel', 'Matthew', 'Anthony', 'Mark', 'Donald', 'Steven', 'Andrew', 'Joshua', 'Kevin',
  'Brian', 'Jose', 'Luis', 'Carlos', 'Minh', 'Wei', 'Ahmed', 'Samuel', 'Ethan', 'Noah',
] as const;

export const femaleGivenNames = [
  'Mary', 'Patricia', 'Jennifer', 'Linda', 'Elizabeth', 'Barbara', 'Susan', 'Jessica', 'Sarah', 'Karen',
  'Lisa', 'Nancy', 'Betty', 'Margaret', 'Sandra', 'Ashley', 'Emily', 'Donna', 'Michelle', 'Carol',
  'Maria', 'Guadalupe', 'Sofia', 'Mei', 'Linh', 'Aisha', 'Fatima', 'Olivia', 'Emma', 'Ava',
] as const;

export const familyNames = [
  'Smith', 'Johnson', 'Williams', 'Brown', 'Jones', 'Garcia', 'Miller', 'Davis', 'Rodriguez', 'Martinez',
  'Hernandez', 'Lopez', 'Gonzalez', 'Wilson', 'Anderson', 'Thomas', 'Taylor', 'Moore', 'Jackson', 'Martin',
  'Lee', 'Perez', 'Thompson', 'White', 'Harris', 'Sanchez', 'Clark', 'Ramirez', 'Lewis', 'Robinson',
  'Walker', 'Young', 'Allen', 'King', 'Wright', 'Nguyen', 'Chen', 'Patel', 'Kim', 'Begay',
] as const;

export const streetNames = [
  'Main Street', 'Oak Avenue', 'Maple Drive', 'Cedar Lane', 'Elm Street', 'Washington Avenue', 'Lake Road',
  'Hill Street', 'Park Avenue', 'Pine Street', 'River Road', 'Church Street', 'Spring Street', 'Highland Avenue',
] as const;

export interface Place {
  city: string;
  state: string;
  postalCode: string;
  areaCode: string;
}

/** The practice's catchment: towns around one place, so addresses look like one practice's patients. */
export const places: readonly Place[] = [
  { city: 'Worcester', state: 'MA', postalCode: '01602', areaCode: '508' },
  { city: 'Shrewsbury', state: 'MA', postalCode: '01545', areaCode: '508' },
  { city: 'Auburn', state: 'MA', postalCode: '01501', areaCode: '508' },
  { city: 'Holden', state: 'MA', postalCode: '01520', areaCode: '508' },
  { city: 'Leicester', state: 'MA', postalCode: '01524', areaCode: '508' },
  { city: 'Grafton', state: 'MA', postalCode: '01519', areaCode: '508' },
  { city: 'Millbury', state: 'MA', postalCode: '01527', areaCode: '508' },
  { city: 'Westborough', state: 'MA', postalCode: '01581', areaCode: '508' },
  { city: 'Fitchburg', state: 'MA', postalCode: '01420', areaCode: '978' },
  { city: 'Putnam', state: 'CT', postalCode: '06260', areaCode: '860' },
];
